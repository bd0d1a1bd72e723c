#!/usr/bin/env bash
# One command: set everything up, load the demo on SQLite and start the app on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo
echo
echo "==> 打开 http://${ADDRESS:-127.0.0.1:8000}/ ，用上面的任一演示账号登录。"
exec .venv/bin/python manage.py runserver "${ADDRESS:-127.0.0.1:8000}"
