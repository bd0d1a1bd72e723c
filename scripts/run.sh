#!/usr/bin/env bash
# One command: set everything up, load the demo on SQLite and start the app on 127.0.0.1:8000,
# with the background worker (report rendering) beside it; both stop together.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo
.venv/bin/python manage.py db_worker --no-reload --interval 1 &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true; wait "$WORKER" 2>/dev/null || true' EXIT INT TERM
echo
echo "==> 后台工作进程（生成报告）已启动（进程 $WORKER）。"
echo "==> 打开 http://${ADDRESS:-127.0.0.1:8000}/ ，用上面的任一演示账号登录。"
.venv/bin/python manage.py runserver "${ADDRESS:-127.0.0.1:8000}"
