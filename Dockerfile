# Production image: gunicorn serves the portal; the same image runs Celery.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=0 PIP_NO_CACHE_DIR=1
# WeasyPrint needs Pango (and HarfBuzz's subsetter, else it subsets fonts slowly in Python);
# pages need a CJK font (PDFs ship their own); gettext compiles catalogues.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-noto-cjk gettext curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .
RUN SECRET_KEY=build-only-collectstatic-key python manage.py compilemessages --ignore .venv -v 0 \
 && SECRET_KEY=build-only-collectstatic-key python manage.py collectstatic --noinput -v 0 \
 && useradd --system --home /app portal && mkdir -p /app/var/media && chown -R portal /app/var
USER portal

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
