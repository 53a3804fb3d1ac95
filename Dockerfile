# Worker image: the package with its default models (en, fr; other languages fall back to the
# knowledge base until their official spaCy packages are added to the image).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY streams ./streams
COPY schemas ./schemas
RUN pip install --no-cache-dir . && useradd --uid 10001 newsenrich
USER newsenrich
ENV NEWSENRICH_DATA_DIR=/tmp/newsenrich
EXPOSE 6066
ENTRYPOINT ["newsenrich"]
CMD ["worker"]
