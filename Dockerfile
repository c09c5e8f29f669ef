FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# curl serves the health check. The invoice font (Noto Sans, with the ₹ sign) comes from the
# fontpkg-noto-sans package in requirements.txt.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# The settings refuse to load with DEBUG off and no real key; collectstatic signs nothing, so a
# random key thrown away with this step is enough.
RUN DEBUG=False SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --create-home anwariya && mkdir -p /app/media && chown -R anwariya /app/media
USER anwariya

EXPOSE 8000
# gunicorn with uvicorn workers (gunicorn.conf.py): WEB_CONCURRENCY processes, one per core by default.
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
