#!/usr/bin/env python3
"""A fake OpenAI-compatible and Anthropic-compatible model server for llm_call tests and the
llm-summary example. It checks the shape of every request it receives, like the real APIs would.

    llm_server.py [--port P]     HTTP/1.1 on 127.0.0.1 (a free port unless given); prints the port.
                                 When stdin is not a terminal, the server exits when stdin closes.

Endpoints:
    POST /v1/chat/completions   OpenAI Chat Completions
    POST /v1/messages           Anthropic Messages (needs x-api-key and anthropic-version)
    POST /_script               queues replies (a JSON list); each is used by the next call, either
                                  {"content": TEXT, "finish": REASON, "usage": [IN, OUT]} or
                                  {"status": CODE, "headers": {...}, "body": {...}} sent as is
    GET  /_requests             every call received: {"path", "headers", "body"} (headers lower-cased)
    GET  /_violations           the request-shape problems found (a call with problems answers 400)

With no script, a call answers "Summary: " + the last words of the last user turn, or, when the call
asks for JSON by schema, a value made from the schema (its strings are that summary).
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
script, received, violations = [], [], []


def sample(schema, hint="example"):
    """A value that conforms to a schema of the subset llm_call validates; strings are `hint`."""
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = kind[0]
    if kind == "object":
        props = schema.get("properties", {})
        return {name: sample(props[name], hint) for name in props}
    if kind == "array":
        return [sample(schema.get("items", {"type": "string"}), hint)]
    return {"string": hint, "number": 1.5, "integer": 1, "boolean": True, "null": None}.get(kind, hint)


def check_messages(messages, roles, problems):
    if not isinstance(messages, list) or not messages:
        problems.append("messages must be a non-empty list")
        return
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or set(m) != {"role", "content"}:
            problems.append("messages[%d] must have exactly role and content" % i)
        elif m["role"] not in roles:
            problems.append("messages[%d].role %r is not one of %s" % (i, m["role"], roles))
        elif not isinstance(m["content"], str):
            problems.append("messages[%d].content must be a string" % i)


def check_openai(headers, body):
    problems = []
    if not headers.get("content-type", "").startswith("application/json"):
        problems.append("content-type must be application/json")
    auth = headers.get("authorization")
    if auth is not None and not auth.startswith("Bearer "):
        problems.append("authorization must be 'Bearer KEY'")
    if not isinstance(body.get("model"), str) or not body["model"]:
        problems.append("model must be a non-empty string")
    check_messages(body.get("messages"), ["system", "user", "assistant"], problems)
    if "temperature" in body and not isinstance(body["temperature"], (int, float)):
        problems.append("temperature must be a number")
    if "max_tokens" in body and not isinstance(body["max_tokens"], int):
        problems.append("max_tokens must be an integer")
    fmt = body.get("response_format")
    if fmt is not None:
        spec = fmt.get("json_schema") if isinstance(fmt, dict) else None
        if fmt.get("type") != "json_schema" or not isinstance(spec, dict) or not isinstance(spec.get("name"), str) \
                or not isinstance(spec.get("schema"), dict):
            problems.append("response_format must be {type: json_schema, json_schema: {name, schema}}")
    unknown = set(body) - {"model", "messages", "temperature", "max_tokens", "response_format"}
    if unknown:
        problems.append("unexpected fields %s" % sorted(unknown))
    return problems


def check_anthropic(headers, body):
    problems = []
    if not headers.get("x-api-key"):
        problems.append("x-api-key header is required")
    if not headers.get("anthropic-version"):
        problems.append("anthropic-version header is required")
    if not isinstance(body.get("model"), str) or not body["model"]:
        problems.append("model must be a non-empty string")
    if not isinstance(body.get("max_tokens"), int):
        problems.append("max_tokens is required and must be an integer")
    if "system" in body and not isinstance(body["system"], str):
        problems.append("system must be a string")
    messages = body.get("messages")
    check_messages(messages, ["user", "assistant"], problems)
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        if messages[0].get("role") != "user":
            problems.append("the first message must be from the user")
        for a, b in zip(messages, messages[1:]):
            if isinstance(a, dict) and isinstance(b, dict) and a.get("role") == b.get("role"):
                problems.append("roles must alternate")
    unknown = set(body) - {"model", "messages", "system", "max_tokens", "temperature"}
    if unknown:
        problems.append("unexpected fields %s" % sorted(unknown))
    return problems


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, status, value, extra=None):
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, v in (extra or {}).items():
            self.send_header(name, str(v))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with lock:
            if self.path == "/_requests":
                return self.send_json(200, received)
            if self.path == "/_violations":
                return self.send_json(200, violations)
        self.send_json(404, {"error": {"message": "no such endpoint"}})

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            return self.send_json(400, {"error": {"message": "the body is not JSON"}})
        if self.path == "/_script":
            with lock:
                script.extend(body)
            return self.send_json(200, {"queued": len(script)})
        if self.path == "/v1/chat/completions":
            problems = check_openai(headers, body if isinstance(body, dict) else {})
        elif self.path == "/v1/messages":
            problems = check_anthropic(headers, body if isinstance(body, dict) else {})
        else:
            return self.send_json(404, {"error": {"message": "no such endpoint"}})
        with lock:
            received.append({"path": self.path, "headers": headers, "body": body})
            violations.extend(problems)
            step = script.pop(0) if script and not problems else None
        if problems:
            return self.send_json(400, {"error": {"type": "invalid_request_error", "message": "; ".join(problems)}})
        if step is not None and "status" in step:
            return self.send_json(step["status"], step.get("body", {"error": {"message": "scripted"}}),
                                  step.get("headers"))
        self.answer(body, step or {})

    def answer(self, body, step):
        anthropic = self.path == "/v1/messages"
        schema = None
        if not anthropic and body.get("response_format"):
            schema = body["response_format"]["json_schema"]["schema"]
        elif anthropic and "JSON Schema:" in body.get("system", ""):
            schema = json.loads(body["system"].split("JSON Schema:\n", 1)[1])
        last = [m["content"] for m in body["messages"] if m["role"] == "user"][-1]
        summary = "Summary: " + " ".join(last.split()[-12:])
        if "content" in step:
            text = step["content"]
        elif schema is not None:
            text = json.dumps(sample(schema, summary))
        else:
            text = summary
        usage_in, usage_out = step.get("usage", [len(json.dumps(body)) // 4, len(text) // 4 + 1])
        model = body["model"]
        if anthropic:
            self.send_json(200, {
                "id": "msg_fake", "type": "message", "role": "assistant", "model": model,
                "content": [{"type": "text", "text": text}],
                "stop_reason": step.get("finish", "end_turn"),
                "usage": {"input_tokens": usage_in, "output_tokens": usage_out},
            })
        else:
            self.send_json(200, {
                "id": "chatcmpl-fake", "object": "chat.completion", "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                             "finish_reason": step.get("finish", "stop")}],
                "usage": {"prompt_tokens": usage_in, "completion_tokens": usage_out,
                          "total_tokens": usage_in + usage_out},
            })


def main():
    port = 0
    if sys.argv[1:2] == ["--port"]:
        port = int(sys.argv[2])
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    if not sys.stdin.isatty():
        def watch():
            sys.stdin.buffer.read()
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
