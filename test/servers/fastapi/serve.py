"""Starts app.py with uvicorn on 127.0.0.1 on a free port and prints "PORT <n>" once listening.
Run with Debian's interpreter: /usr/bin/python3 serve.py (its python3-fastapi/python3-uvicorn)."""
import socket
import sys

import uvicorn

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0))
print(f"PORT {sock.getsockname()[1]}", flush=True)

sys.path.insert(0, __file__.rsplit("/", 1)[0])
config = uvicorn.Config("app:app", log_level="warning", lifespan="off")
uvicorn.Server(config).run(sockets=[sock])
