FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# DejaVu fonts carry the ₹ sign for PDF invoices; curl serves the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN DEBUG=False SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --create-home anwariya && mkdir -p /app/media && chown -R anwariya /app/media
USER anwariya

EXPOSE 8000
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "anwariya.asgi:application"]
