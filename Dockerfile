# The archive's production image: the API server (default) or an ingest worker (`npm run worker`).
FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends poppler-utils tesseract-ocr tesseract-ocr-rus \
    tesseract-ocr-kaz tesseract-ocr-kir tesseract-ocr-eng \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY server ./server
COPY domain ./domain
COPY ingest ./ingest
COPY migrations ./migrations
# The blob store volume: owned by the user the archive runs as (a named volume takes this ownership).
RUN mkdir -p /data && chown node:node /data
USER node
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
EXPOSE 3000
CMD ["node", "--import", "tsx", "server/main.ts"]
