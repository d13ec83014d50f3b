# peftops serve (docs/serve.md), from the published app:
#   dotnet publish src/PeftOps.Cli -c Release -o artifacts/serve
#   docker build -t peftops-serve .
# libtorch: the image carries the CPU libtorch of the libtorch-cpu-linux-x64 package, the one the build and the tests
# use. On a GPU host do what the GPU runners do: mount an installed PyTorch's torch/lib (built for the host's CUDA),
# set PEFTOPS_LIBTORCH to it and pass --device cuda; TorchSharp then loads that libtorch instead.
FROM mcr.microsoft.com/dotnet/aspnet:10.0

# git: the registry is the tags of a clone, fetched at every poll
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && git config --system --add safe.directory /registry \
 && useradd --uid 10001 --create-home peftops \
 && mkdir /cache /registry \
 && chown peftops /cache /registry

COPY artifacts/serve/ /app/

USER peftops
# the built-in base model is converted into the cache on the first start (from the package inside the image; nothing
# is downloaded), and verified versions are kept there: keep /cache on a volume
ENV PEFTOPS_CACHE=/cache
VOLUME ["/cache"]
WORKDIR /registry
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/peftops.dll"]
CMD ["serve", "--stage", "production", "--urls", "http://0.0.0.0:8080"]
