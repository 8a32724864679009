# The two commands of the README. Both create .venv and install what they need (Debian packages included).
.PHONY: demo test bootstrap lint

demo:
	@scripts/bootstrap.sh demo
	.venv/bin/upstander demo

test:
	@scripts/bootstrap.sh test
	scripts/test.sh

lint:
	.venv/bin/ruff check upstander bench conftest.py
	.venv/bin/mypy upstander
