# A throwaway Bittensor dev chain: docker run -p 9944:9944 pysubtensor
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends libleveldb-dev g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/pysubtensor
COPY pyproject.toml setup.py README.md ./
COPY pysubtensor pysubtensor
COPY primitives primitives
COPY node node
COPY runtime runtime
COPY pallets pallets
COPY rpc rpc
COPY chainspec chainspec
RUN pip install --no-cache-dir .
EXPOSE 9944
ENTRYPOINT ["pysubtensor"]
CMD ["--dev", "--rpc-external"]
