#!/usr/bin/env python3
"""A recording HTTP server for perfgate's network tests (tests/t/t91*.sh).

    httpd.py --dir DIR [--token TOKEN] [--lifetime SECONDS]

Listens on 127.0.0.1 on a free port and writes the port to DIR/port once
it accepts connections.  Every request is appended to DIR/requests.jsonl as
{"method", "path", "headers": [[name, value], ...], "body"}.

Answers, in this order:
1. DIR/script.json, when it exists: a list of canned responses used one
   per request, {"status", "headers": {...}, "body": str or JSON, "delay":
   seconds before answering}.  "{base}" in headers and string bodies
   becomes http://127.0.0.1:PORT.
2. Then a small fake of the GitHub and GitLab comment APIs over the
   comments in DIR/comments.json ([{"id", "body", "system"?, "n"?}],
   rewritten after every change; "n" is the pull/merge request number,
   and a comment without one is on every request): list (paginated by per_page/page with a Link
   header, as both forges do), create, edit.  With --token, a request
   without "Authorization: Bearer TOKEN" (GitHub) or "PRIVATE-TOKEN: TOKEN"
   (GitLab) gets 401.
Anything else is 404.  The server exits after --lifetime seconds (default
60) so that a test that dies cannot leave it behind.
"""
import argparse
import json
import os
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
ARGS = None
BASE = ""

GITHUB_LIST = re.compile(r"^/repos/([^/]+/[^/]+)/issues/(\d+)/comments$")
GITHUB_PAGE = re.compile(r"^/repositories/1/issues/(\d+)/comments$")
GITHUB_EDIT = re.compile(r"^/repos/([^/]+/[^/]+)/issues/comments/(\d+)$")
GITLAB_LIST = re.compile(
    r"^/api/v4/projects/([^/]+)/merge_requests/(\d+)/notes$")
GITLAB_EDIT = re.compile(
    r"^/api/v4/projects/([^/]+)/merge_requests/(\d+)/notes/(\d+)$")


def path_of(name):
    return os.path.join(ARGS.dir, name)


def load(name, default):
    try:
        with open(path_of(name)) as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def save(name, value):
    tmp = path_of(name + ".tmp")
    with open(tmp, "w") as f:
        json.dump(value, f, indent=1)
    os.replace(tmp, path_of(name))


def next_canned():
    """Pop the next canned response, or None when the script is used up."""
    script = load("script.json", [])
    used = load("script.used", 0)
    if used >= len(script):
        return None
    save("script.used", used + 1)
    return script[used]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body, headers=None):
        if not isinstance(body, str):
            body = json.dumps(body)
            headers = dict(headers or {})
            headers.setdefault("Content-Type", "application/json")
        data = body.replace("{base}", BASE).encode()
        try:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, str(v).replace("{base}", BASE))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        with LOCK:
            with open(path_of("requests.jsonl"), "a") as f:
                f.write(json.dumps({"method": self.command,
                                    "path": self.path,
                                    "headers": list(self.headers.items()),
                                    "body": body}) + "\n")
            canned = next_canned()
        if canned is not None:
            time.sleep(canned.get("delay", 0))
            self.answer(canned.get("status", 200), canned.get("body", ""),
                        canned.get("headers"))
            return
        with LOCK:
            status, reply, headers = self.forge(body)
        self.answer(status, reply, headers)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    def authorised(self, gitlab):
        if not ARGS.token:
            return True
        if gitlab:
            return self.headers.get("PRIVATE-TOKEN") == ARGS.token
        return self.headers.get("Authorization") == "Bearer " + ARGS.token

    def forge(self, body):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        path = url.path
        gitlab = path.startswith("/api/v4/")
        if not self.authorised(gitlab):
            return 401, {"message": "401 Unauthorized" if gitlab
                         else "Bad credentials"}, None
        comments = load("comments.json", [])
        m_list = (GITHUB_LIST.match(path) or GITHUB_PAGE.match(path)
                  or GITLAB_LIST.match(path))
        if m_list and self.command == "GET":
            n = int(m_list.groups()[-1])
            mine = [c for c in comments if c.get("n", n) == n]
            return self.page(path, query, mine, gitlab)
        if m_list and self.command == "POST":
            new = {"id": max([c["id"] for c in comments] + [1000]) + 1,
                   "body": json.loads(body)["body"],
                   "n": int(m_list.groups()[-1])}
            if not gitlab:
                new["html_url"] = "https://github.example/pr#c%d" % new["id"]
            comments.append(new)
            save("comments.json", comments)
            return 201, new, None
        m_edit = GITHUB_EDIT.match(path) or GITLAB_EDIT.match(path)
        want = "PUT" if gitlab else "PATCH"
        if m_edit and self.command == want:
            cid = int(m_edit.groups()[-1])
            for c in comments:
                if c["id"] == cid:
                    c["body"] = json.loads(body)["body"]
                    save("comments.json", comments)
                    return 200, c, None
        return 404, {"message": "Not Found"}, None

    def page(self, path, query, comments, gitlab):
        per_page = int(query.get("per_page", ["30"])[0])
        page = int(query.get("page", ["1"])[0])
        chunk = comments[(page - 1) * per_page:page * per_page]
        headers = {}
        if page * per_page < len(comments):
            # GitHub's next links use /repositories/ID/..., not the path
            # the client asked for: a client must follow them
            nxt = dict(query)
            nxt["page"] = [str(page + 1)]
            target = path if gitlab else \
                re.sub(r"^/repos/[^/]+/[^/]+/", "/repositories/1/", path)
            q = urllib.parse.urlencode(nxt, doseq=True)
            headers["Link"] = ('<%s%s?%s>; rel="next", <%s%s?page=1>; '
                               'rel="first"' % (BASE, target, q, BASE,
                                                target))
        return 200, chunk, headers


def main():
    global ARGS, BASE
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--token")
    p.add_argument("--lifetime", type=float, default=60)
    ARGS = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    BASE = "http://127.0.0.1:%d" % port
    threading.Timer(ARGS.lifetime, server.shutdown).start()
    save("port", port)
    server.serve_forever()


if __name__ == "__main__":
    main()
