"""A FastAPI application whose CORS setup is chosen by the test (JSON in the CORS_LENS_APP
environment variable), so each configuration from the FastAPI CORS guides can be started for
real: no middleware, wrong/empty/trailing-slash origins, wildcard with credentials, default or
restricted methods and headers, a custom OPTIONS route, middleware added after the routes, and a
handler that crashes.

Config keys: middleware (bool), after_routes (bool), options_route (bool), and the
CORSMiddleware arguments allow_origins, allow_credentials, allow_methods, allow_headers (each
omitted to keep Starlette's default).
"""
import json
import os

from fastapi import FastAPI, HTTPException
from fastapi.middleware.cors import CORSMiddleware

CONFIG = json.loads(os.environ.get("CORS_LENS_APP", "{}"))

app = FastAPI()


def add_cors() -> None:
    kwargs = {k: CONFIG[k] for k in ("allow_origins", "allow_credentials", "allow_methods", "allow_headers") if k in CONFIG}
    app.add_middleware(CORSMiddleware, **kwargs)


if CONFIG.get("middleware") and not CONFIG.get("after_routes"):
    add_cors()


@app.get("/api/users")
def list_users():
    return [{"name": "Alice"}, {"name": "Bob"}]


@app.post("/api/users")
def create_user(user: dict):
    return user


@app.put("/api/items/{item_id}")
def update_item(item_id: int, item: dict):
    return {"id": item_id, **item}


@app.get("/api/items/")
def list_items():
    return []


@app.get("/api/crash")
def crash():
    raise RuntimeError("unhandled exception in the handler")


@app.get("/api/missing")
def missing():
    raise HTTPException(status_code=404, detail="no such thing")


if CONFIG.get("options_route"):

    @app.options("/api/users")
    def options_users():
        # The guide's anti-pattern: answering OPTIONS by hand, without CORS headers.
        return {}


if CONFIG.get("middleware") and CONFIG.get("after_routes"):
    # Added after the routes on purpose: Starlette builds the middleware stack at startup, so
    # this works (the "add it before the routes" advice is a myth for FastAPI).
    add_cors()
