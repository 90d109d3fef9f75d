#!/usr/bin/env python3
"""Runs the examples in README.md and docs/*.md against the built binaries, so the docs cannot drift.

Every fenced block carries an annotation on the line right above its opening fence:

    <!-- check: KIND [key=value ...] -->

Kinds (docs/CONTRIBUTING-docs in CONTRIBUTING.md says when to use which):
  workflow     the block is a workflow file, or a fragment wrapped into one (wrap=triggers|steps|step;
               stub=a,b adds trivial steps the fragment reads); `triggerctl validate` must accept it.
               invalid=true: it must be refused, and the block right after it (a `diagnostics` block
               with from=previous) holds the exact diagnostics.
  config       the block is (part of) triggerd.yaml; `triggerd --check-config` must accept it.
  diagnostics  each line `FILE:LINE:COL: ...` is printed by `triggerctl validate DIR/FILE`
               (dir=..., default Tests/Fixtures/docs) and the validation fails.
  transcript   `$ command` lines and the output each prints (cwd=repo: run from the checkout, `$BIN/` dropped); `…` inside a line matches any text and a
               line of only `…` any number of lines; `[exit N]` as the last output line is the exit code
               (default 0). With `daemon`, a triggerd on a copy of etc/ runs first (its socket is
               TRIGGERD_SOCKET, and 127.0.0.1:8780 / /run/triggerd/control.sock in commands are rewritten to
               the test's own; 127.0.0.1:8781 is its console listener). Commands run in one bash session in a scratch directory holding
               `workflows/` (a copy of etc/workflows), `triggerd.yaml` and `secrets.env`.
  expressions  lines `EXPR ⇒ RESULT`, RESULT being JSON or `error: MESSAGE`; evaluated in one
               `triggerctl test` run (trigger=JSON sets the trigger, input=JSON the input).
  usage        a synopsis: every command (`triggerctl`) and every --flag it shows must exist in --help.
  skip         not runnable here; the rest of the comment says why (and which test covers it).

Prints one line per block and a summary; exit 1 when any example disagrees or a block has no annotation.
Usage: check-docs.py [--bin DIR] [FILE.md ...]
"""
import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
ANNOTATION = re.compile(r"^\s*<!--\s*check:\s*(\S+)(.*?)-->\s*$")
ELLIPSIS = "…"


# The secret `make run` writes to .triggerd/secrets.env, which the example workflows verify webhooks with.
DEMO_SECRETS = {"DEMO_WEBHOOK_SECRET": "change-me-demo-secret"}


def write_secrets(path, secrets):
    """A secrets file as triggerd reads it: NAME=value lines, mode 0600 (it refuses anything wider)."""
    with open(path, "w") as f:
        f.writelines(f"{name}={value}\n" for name, value in secrets.items())
    os.chmod(path, 0o600)


def lay_out_examples(d):
    """What transcripts and the docs daemon run on: a copy of etc/workflows and the demo secrets file."""
    shutil.copytree(os.path.join(ROOT, "etc", "workflows"), os.path.join(d, "workflows"))
    write_secrets(os.path.join(d, "secrets.env"), DEMO_SECRETS)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Block:
    def __init__(self, path, line, lang, body, kind, args, indent):
        self.path, self.line, self.lang, self.body = path, line, lang, body
        self.kind, self.args, self.indent = kind, args, indent

    @property
    def where(self):
        return f"{os.path.relpath(self.path, ROOT)}:{self.line}"


def parse_args(text):
    """`key=value` pairs (value may be quoted) and bare words (true)."""
    args = {}
    for token in shlex.split(text):
        key, sep, value = token.partition("=")
        args[key] = value if sep else "true"
    return args


def blocks_of(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    found, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang, start = m.group(1), m.group(2), i
        j = i + 1
        while j < len(lines) and lines[j].strip() != "```":
            j += 1
        body = "\n".join(l[len(indent):] if l.startswith(indent) else l for l in lines[i + 1:j]) + "\n"
        kind, args = None, {}
        if start > 0:
            a = ANNOTATION.match(lines[start - 1])
            if a:
                kind = a.group(1)
                args = {"why": a.group(2).strip()} if kind == "skip" else parse_args(a.group(2))
        found.append(Block(path, start + 1, lang, body, kind, args, indent))
        i = j + 1
    return found


class Checker:
    def __init__(self, bin_dir):
        self.bin = bin_dir
        self.scratch = tempfile.mkdtemp(prefix="triggerd-docs-")
        self.daemon = None
        self.previous = None

    # -- helpers -------------------------------------------------------------------------------------------

    def run(self, argv, cwd=None, env=None, input=None, timeout=60):
        p = subprocess.run(argv, cwd=cwd or self.scratch, env=env or self.env(), input=input,
                           capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout + p.stderr

    def env(self, extra=None):
        e = dict(os.environ)
        e["PATH"] = self.bin + os.pathsep + e.get("PATH", "")
        e["NO_COLOR"] = "1"
        e.pop("TRIGGERD_SOCKET", None)
        e.update(extra or {})
        return e

    def fresh_dir(self, name):
        d = os.path.join(self.scratch, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        return d

    # -- kinds ---------------------------------------------------------------------------------------------

    def check_workflow(self, b):
        text = "\n".join(l for l in b.body.split("\n") if l.strip() != "...") + "\n"
        wrap = b.args.get("wrap")
        stubs = [s for s in b.args.get("stub", "").split(",") if s]
        stub_text = "".join(f"  {s}: {{ type: transform, with: {{ value: {{ stub: true }} }} }}\n" for s in stubs)
        if wrap == "triggers":
            text = f"name: doc-example\n{text}steps:\n  only: {{ type: transform, with: {{ value: 1 }} }}\n"
        elif wrap == "steps":
            text = f"name: doc-example\ntriggers: [{{ manual: {{}} }}]\n{text}{stub_text}"
        elif wrap == "step":
            text = textwrap.dedent(text)
            body = "".join("  " + l + "\n" if l else "\n" for l in text.rstrip("\n").split("\n"))
            text = f"name: doc-example\ntriggers: [{{ manual: {{}} }}]\nsteps:\n{body}{stub_text}"
        elif stubs:
            text += stub_text
        d = self.fresh_dir("workflow")
        name = b.args.get("file", "doc-example.yaml")
        path = os.path.join(d, name)
        open(path, "w").write(text)
        code, out = self.run(["triggerctl", "validate", path], cwd=d)
        if b.args.get("invalid") == "true":
            self.previous = (d, name)
            if code != 1:
                return f"expected `triggerctl validate` to refuse it (exit 1), got exit {code}:\n{out}"
            return None
        if code != 0:
            return f"`triggerctl validate` refused it (exit {code}):\n{out}\n--- as validated ---\n{text}"
        return None

    def check_config(self, b):
        d = self.fresh_dir("config")
        os.makedirs(os.path.join(d, "workflows"))
        names = sorted(set(re.findall(r"secrets\.([A-Za-z_][A-Za-z0-9_]*)", b.body)))
        write_secrets(os.path.join(d, "secrets.env"), {name: "doc-example" for name in names})
        open(os.path.join(d, "triggerd.yaml"), "w").write(b.body)
        code, out = self.run(["triggerd", "--check-config", "--config", "triggerd.yaml", "--workflows", "workflows",
                              "--state-dir", "state", "--secrets", "secrets.env"], cwd=d)
        if code != 0:
            return f"`triggerd --check-config` refused it (exit {code}):\n{out}"
        return None

    def check_diagnostics(self, b):
        if b.args.get("from") == "previous":
            if not self.previous:
                return "from=previous, but no `workflow invalid=true` block comes before it"
            d, name = self.previous
            self.previous = None
            code, out = self.run(["triggerctl", "validate", name], cwd=d)
            expected = b.body.strip("\n")
            if out.strip("\n") != expected:
                return f"`triggerctl validate` printed:\n{out}\nthe docs show:\n{expected}"
            return None if code == 1 else f"exit {code}, expected 1"
        d = os.path.join(ROOT, b.args.get("dir", "Tests/Fixtures/docs"))
        problems = []
        for line in b.body.split("\n"):
            if not line.strip():
                continue
            name = line.split(":", 1)[0]
            if not os.path.exists(os.path.join(d, name)):
                problems.append(f"no file {os.path.relpath(os.path.join(d, name), ROOT)} for: {line}")
                continue
            code, out = self.run(["triggerctl", "validate", name], cwd=d)
            want_code = 0 if ": warning: " in line else 1  # warnings alone do not fail a validation
            if line not in out.split("\n") or code != want_code:
                problems.append(f"`triggerctl validate {name}` (exit {code}) printed:\n{out}the docs show:\n{line}")
        return "\n".join(problems) or None

    def check_usage(self, b):
        text = b.body
        problems = []
        program = text.split()[0]
        helps = {}

        def help_of(cmd):
            if cmd not in helps:
                argv = [program] + cmd.split() + ["--help"]
                helps[cmd] = self.run(argv)
            return helps[cmd]

        if program == "triggerctl":
            # Commands are separated by ` | ` or lines; a line opening with `[` or `-` continues the one before.
            parts = []
            for raw in text.split("\n"):
                stripped = raw.strip()
                if stripped.startswith("triggerctl "):
                    stripped = stripped[len("triggerctl "):]
                if not stripped:
                    continue
                if stripped[0] in "[-" and parts:
                    parts[-1] += " " + stripped
                    continue
                parts.extend(stripped.split(" | "))
            for part in parts:
                words = part.split()
                if not words or not re.match(r"^[a-z]+$", words[0]):
                    continue  # the generic `COMMAND [ARGS]` line
                cmd = [words[0]]
                if words[0] in ("webhook", "token", "schedules") and len(words) > 1 and re.match(r"^[a-z]+$", words[1]):
                    cmd.append(words[1])
                code, out = help_of(" ".join(cmd))
                if code != 0:
                    problems.append(f"`triggerctl {' '.join(cmd)} --help` failed (exit {code}): {out.strip()[:200]}")
                    continue
                for flag in re.findall(r"(--[a-z][a-z-]*|(?<![\w-])-[a-zA-Z]\b)", part):
                    if flag not in out:
                        problems.append(f"`triggerctl {' '.join(cmd)}` has no {flag} in its --help")
        else:
            code, out = help_of("")
            for flag in set(re.findall(r"--[a-z][a-z-]*", text)):
                if flag not in out:
                    problems.append(f"`{program} --help` does not list {flag}")
        return "\n".join(problems) or None

    def check_expressions(self, b):
        cases = []
        for raw in b.body.split("\n"):
            if not raw.strip():
                continue
            expr, sep, result = raw.partition("⇒")
            if not sep:
                return f"line without ⇒: {raw}"
            cases.append((expr.strip(), result.strip()))
        steps = "".join(f"  e{i}:\n    type: transform\n    on_error: continue\n    with: {{ value: {json.dumps('{{ ' + e + ' }}')} }}\n"
                        for i, (e, _) in enumerate(cases))
        inputs = json.loads(b.args.get("input", "{}"))
        declared = "".join(f"  {k}: {{ type: any }}\n" for k in inputs)
        wf = f"name: doc-expressions\ntriggers: [{{ manual: {{}} }}]\n" + (f"inputs:\n{declared}" if declared else "") + f"steps:\n{steps}"
        d = self.fresh_dir("expressions")
        open(os.path.join(d, "expr.yaml"), "w").write(wf)
        argv = ["triggerctl", "test", "expr.yaml", "--json", "--clock", b.args.get("clock", "2026-01-01T09:00:00Z"),
                "--input", json.dumps(inputs)]
        if "trigger" in b.args:
            argv += ["--trigger", b.args["trigger"]]
        code, out = self.run(argv, cwd=d)
        try:
            run = json.loads(out[out.index("{"):])
        except ValueError:
            return f"`triggerctl test` printed no run (exit {code}):\n{out}"
        by_id = {s["id"]: s for s in run.get("steps", [])}
        problems = []
        for i, (expr, want) in enumerate(cases):
            step = by_id.get(f"e{i}", {})
            if want.startswith("error:"):
                got = step.get("error") or ""
                got_text = got if isinstance(got, str) else got.get("message", json.dumps(got))
                if step.get("status") != "failed" or want[len("error:"):].strip() not in got_text:
                    problems.append(f"{expr} ⇒ {want}\n    got status {step.get('status')}: {got_text or step.get('output')!r}")
                continue
            try:
                want_value = json.loads(want)
            except ValueError:
                problems.append(f"{expr} ⇒ {want}: the expected result is not JSON")
                continue
            if step.get("status") != "completed" or step.get("output") != want_value:
                problems.append(f"{expr} ⇒ {want}\n    got {step.get('status')}: "
                                f"{json.dumps(step.get('output')) if step.get('status') == 'completed' else step.get('error')}")
        return "\n".join(problems) or None

    # -- transcripts ---------------------------------------------------------------------------------------

    def start_daemon(self):
        if self.daemon:
            return self.daemon
        d = os.path.join(self.scratch, "daemon")
        os.makedirs(d, exist_ok=True)
        lay_out_examples(d)
        secrets = os.path.join(d, "secrets.env")
        port, console_port = free_port(), free_port()
        # etc/triggerd.yaml plus the console's TCP listener, so docs/console.md's curl examples have one.
        config = os.path.join(d, "triggerd.yaml")
        with open(config, "w") as f:
            f.write(open(os.path.join(ROOT, "etc", "triggerd.yaml")).read())
            f.write(f'\nconsole: {{ listen: "127.0.0.1:{console_port}" }}\n')
        sock = os.path.join(d, "control.sock")
        log = open(os.path.join(d, "triggerd.log"), "w")
        proc = subprocess.Popen(
            [os.path.join(self.bin, "triggerd"), "--config", config,
             "--workflows", os.path.join(d, "workflows"), "--state-dir", os.path.join(d, "state"), "--socket", sock,
             "--listen", f"127.0.0.1:{port}", "--secrets", secrets],
            stdout=log, stderr=subprocess.STDOUT, env=self.env(), start_new_session=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("triggerd exited at start:\n" + open(log.name).read())
            code, _ = self.run(["triggerctl", "status", "--socket", sock])
            if code == 0:
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("triggerd did not answer on its socket within 30 s")
        self.daemon = (proc, sock, f"127.0.0.1:{port}", d, f"127.0.0.1:{console_port}")
        return self.daemon

    def stop_daemon(self):
        if self.daemon:
            proc = self.daemon[0]
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
            self.daemon = None

    @staticmethod
    def commands_of(body):
        """[(command text, [expected output lines])] from `$ ` lines, `\\` continuations and output lines."""
        items, lines, i = [], body.rstrip("\n").split("\n"), 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("$ "):
                cmd = [line[2:]]
                while cmd[-1].endswith("\\") and i + 1 < len(lines):
                    i += 1
                    cmd.append(lines[i])
                items.append(["\n".join(cmd), []])
            elif items:
                items[-1][1].append(line)
            elif line.strip():
                raise ValueError(f"output before the first `$ ` command: {line}")
            i += 1
        return items

    @staticmethod
    def line_matches(pattern, text):
        parts = [re.escape(p) for p in pattern.split(ELLIPSIS)]
        return re.fullmatch(".*".join(parts), text.rstrip()) is not None

    @classmethod
    def output_matches(cls, want, got):
        want = [w.rstrip() for w in want]
        got = [g.rstrip() for g in got]
        while want and not want[-1]:
            want.pop()
        while got and not got[-1]:
            got.pop()

        def match(wi, gi):
            if wi == len(want):
                return gi == len(got)
            if want[wi].strip() == ELLIPSIS:
                return any(match(wi + 1, k) for k in range(gi, len(got) + 1))
            return gi < len(got) and cls.line_matches(want[wi], got[gi]) and match(wi + 1, gi + 1)

        return match(0, 0)

    def check_transcript(self, b):
        try:
            items = self.commands_of(b.body)
        except ValueError as error:
            return str(error)
        if not items:
            return "no `$ ` command in the transcript"
        if b.args.get("cwd") == "repo":
            d = ROOT  # README's walk-through runs from the checkout, as `make run` does
        else:
            d = self.fresh_dir("transcript")
            lay_out_examples(d)
            shutil.copy(os.path.join(ROOT, "etc", "triggerd.yaml"), os.path.join(d, "triggerd.yaml"))
        extra = {}
        rewrite = []
        if b.args.get("daemon") == "true":
            _, sock, listen, daemon_dir, console = self.start_daemon()
            extra["TRIGGERD_SOCKET"] = sock
            rewrite = [("127.0.0.1:8780", listen), ("127.0.0.1:8781", console), ("/run/triggerd/control.sock", sock), (".triggerd/control.sock", sock),
                       (".triggerd/secrets.env", os.path.join(daemon_dir, "secrets.env"))]
        script = ["exec 2>&1", "cd " + shlex.quote(d)]
        for n, (cmd, _) in enumerate(items):
            for old, new in rewrite:
                cmd = cmd.replace(old, new)
            cmd = cmd.replace("$BIN/", "")
            script.append(f"printf '\\n@@docs-start {n}\\n'")
            script.append(cmd)
            script.append(f"printf '\\n@@docs-end {n} %s\\n' \"$?\"")
        code, out = self.run(["bash", "-c", "\n".join(script)], cwd=d, env=self.env(extra), timeout=120)
        problems = []
        for n, (cmd, want) in enumerate(items):
            m = re.search(rf"\n@@docs-start {n}\n(.*?)\n@@docs-end {n} (\d+)\n", out, re.S)
            if not m:
                problems.append(f"$ {cmd}\n    did not finish; the session printed:\n{out[-2000:]}")
                break
            got, rc = m.group(1).split("\n"), int(m.group(2))
            want_rc = 0
            if want and re.fullmatch(r"\[exit \d+\]", want[-1].strip()):
                want_rc = int(want[-1].strip()[6:-1])
                want = want[:-1]
            if rc != want_rc or not self.output_matches(want, got):
                problems.append(f"$ {cmd}\n--- docs (exit {want_rc}) ---\n" + "\n".join(want)
                                + f"\n--- got (exit {rc}) ---\n" + "\n".join(got))
        return "\n".join(problems) or None

    def check(self, b):
        kind = b.kind
        handler = {
            "workflow": self.check_workflow, "config": self.check_config, "diagnostics": self.check_diagnostics,
            "transcript": self.check_transcript, "expressions": self.check_expressions, "usage": self.check_usage,
        }.get(kind)
        if handler is None:
            return f"unknown check kind '{kind}'"
        return handler(b)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=None, help="directory with triggerd and triggerctl (default: swift build's)")
    parser.add_argument("files", nargs="*")
    options = parser.parse_args()
    bin_dir = options.bin or subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True,
                                            text=True, check=True).stdout.strip()
    files = options.files or [os.path.join(ROOT, "README.md")] + sorted(
        os.path.join(ROOT, "docs", f) for f in os.listdir(os.path.join(ROOT, "docs")) if f.endswith(".md"))
    checker = Checker(os.path.abspath(bin_dir))
    checked = skipped = 0
    failures = []
    try:
        for path in files:
            for b in blocks_of(os.path.abspath(path)):
                if b.kind is None:
                    failures.append((b, "no `<!-- check: KIND -->` annotation above this block"))
                    continue
                if b.kind == "skip":
                    if not b.args.get("why"):
                        failures.append((b, "`check: skip` needs a reason"))
                    skipped += 1
                    print(f"skip  {b.where}  {b.args['why']}")
                    continue
                try:
                    problem = checker.check(b)
                except Exception as error:  # a broken example must not hide the others
                    problem = f"{type(error).__name__}: {error}"
                checked += 1
                print(f"{'ok  ' if problem is None else 'FAIL'}  {b.where}  {b.kind}")
                if problem:
                    failures.append((b, problem))
    finally:
        checker.stop_daemon()
        shutil.rmtree(checker.scratch, ignore_errors=True)
    for b, problem in failures:
        print(f"\n=== {b.where} ({b.kind or 'no annotation'})\n{problem}")
    print(f"\ndocs examples: {checked} checked, {len(failures)} disagree, {skipped} skipped (reason given)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
