# vrtual.ly: one image for every process; the command chooses which (see compose.yaml and
# docs/deploy.md). Built and run by hand only: `make test` does not build it.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

# The pinned lock first, so a code change does not reinstall every dependency.
COPY requirements.lock ./
RUN python -m pip install -r requirements.lock

COPY . .

# Static files are collected into the image with the production storage (hashed names, which
# WhiteNoise serves with a far-future Cache-Control). Settings refuse to load without secrets
# when DEBUG is off, so the build passes throwaway ones that are used for nothing else.
RUN DEBUG=0 \
    SECRET_KEY=collectstatic-only \
    FIELD_ENCRYPTION_KEYS=Y29sbGVjdHN0YXRpYy1vbmx5LCBuZXZlciBhIGtleSE= \
    ZOOM_CLIENT_SECRET=collectstatic-only \
    ZOOM_WEBHOOK_SECRET=collectstatic-only \
    python manage.py collectstatic --no-input -v 0

RUN useradd --system --uid 10001 --home-dir /app vrtually
USER vrtually

EXPOSE 8000

# The web process. Run the task worker from the same image with
#   python manage.py worker --interval 0.5 --no-reload
# and the migrations (once per release, before the new web processes) with
#   python manage.py migrate --no-input
CMD ["gunicorn", "vrtually.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--threads", "4", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
