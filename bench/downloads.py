"""Download throughput of `portal serve` against nginx serving the same stored file (issue 5).

    apt-get install -y nginx      # once; this script installs nothing
    .venv/bin/python bench/downloads.py [--size-mb 1024] [--runs 3] [--requests 300] [--keep]

Creates a throw-away instance (PORTAL_INSTANCE_PATH + `portal init`), generates a CSV of about
--size-mb MB (no personal columns) plus a 1 KB one, publishes both through the real pipeline with
`portal publish` (timed), creates a verified account and an API token, then starts
`portal serve --workers 2` and nginx (temporary config, same stored files, another loopback port)
and measures with one Python client: full-file MB/s (best and median of --runs, interleaved),
a Range check (bytes=100-199 → 206 and exactly those bytes) on both, per-request latency of
--requests small requests on a kept-alive connection (ours: token auth + audit row + Flask; the
overhead of auth + audit is the difference to a trivial route of the same server; ours − nginx
is printed too), and
RSS of the gunicorn processes before and during --concurrency parallel full downloads.
"""

import argparse
import hashlib
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORTAL = Path(sys.executable).with_name("portal")
DATASET = "bench-downloads"
CHUNK = 1 << 20
META = """{"name": "%s", "title": "下载基准测试数据", "description": "基准测试生成的统计数据，无个人信息。",
 "department": "bench", "domain": "统计", "keywords": ["基准"], "licenses": [{"name": "CC-BY-4.0"}],
 "open_access": "unconditional", "share_access": "unconditional", "update_frequency": "irregular",
 "contact": {"name": "基准", "phone": "0377-63123456", "email": "bench@example.gov.cn"}}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=300, help="small requests for the latency figure")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (printed at the end)")
    args = parser.parse_args()
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        print("nginx 未安装：请先运行 `apt-get install -y nginx`（Debian/Ubuntu）后重试", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="portal-bench-dl-"))
    tmp.chmod(0o755)  # nginx workers run as an unprivileged user and must reach the store
    servers: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        return run(args, nginx, tmp, servers)
    except KeyboardInterrupt:
        print("\n已中断", file=sys.stderr)
        return 130
    finally:
        for proc in servers:
            stop(proc)
        if args.keep:
            print(f"临时目录保留在 {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run(args, nginx: str, tmp: Path, servers: list) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env["PORTAL_INSTANCE_PATH"] = str(tmp / "instance")
    portal(env, "init")
    token = account(env)

    big, small = tmp / "big.csv", tmp / "small.csv"
    started = time.perf_counter()
    generate(big, args.size_mb << 20)
    generate(small, 1024)
    gen_s = time.perf_counter() - started
    (tmp / "meta.json").write_text(META % DATASET, encoding="utf-8")
    started = time.perf_counter()
    portal(env, "publish", big, small, "--descriptor", tmp / "meta.json")
    publish_s = time.perf_counter() - started
    store = tmp / "instance" / "packages" / DATASET / "1.0.0"
    size = (store / "big.csv").stat().st_size
    print(f"生成 {size / 1e6:,.0f} MB：{gen_s:.1f} s；portal publish（真实流程）：{publish_s:.1f} s "
          f"（{size / 1e6 / publish_s:,.0f} MB/s）")

    ours_port, nginx_port = free_port(), free_port()
    log = open(tmp / "serve.log", "wb")  # kept open for the server's lifetime
    servers.append(subprocess.Popen([PORTAL, "serve", "--port", str(ours_port), "--workers", "2"], env=env,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    conf = write_nginx_conf(tmp, store, nginx_port)
    servers.append(subprocess.Popen([nginx, "-p", str(tmp / "nginx"), "-c", str(conf)], stdout=subprocess.DEVNULL,
                                    stderr=open(tmp / "nginx" / "stderr.log", "wb"), start_new_session=True))
    auth = {"Authorization": f"Bearer {token}"}
    ours = Target("portal serve", ours_port, f"/api/v1/datasets/{DATASET}/resources/", auth)
    peer = Target("nginx", nginx_port, "/", {})
    for target in (ours, peer):
        wait_ready(target, servers)

    rows = []
    speeds = {ours.name: [], peer.name: []}
    for _ in range(args.runs):
        for target in (peer, ours):
            speeds[target.name].append(full_download(target, "big", size))
    for target in (ours, peer):
        rows.append((target.name, "full download MB/s (best / median)",
                     f"{max(speeds[target.name]):,.0f} / {statistics.median(speeds[target.name]):,.0f}"))
    ratio = statistics.median(speeds[ours.name]) / statistics.median(speeds[peer.name])

    with open(store / "big.csv", "rb") as fh:
        expected = fh.read(200)[100:200]
    ranges = {t.name: range_ok(t, expected) for t in (ours, peer)}
    for target in (ours, peer):
        rows.append((target.name, "Range bytes=100-199", "206, bytes match" if ranges[target.name] else "FAILED"))

    # The same server answering a trivial route (no database, no auth, no audit) is the baseline of
    # what auth + audit add; nginx gives the whole-stack difference for context.
    bare = Target("portal serve", ours_port, "", {}, fixed_path="/verify/public-key.pem")
    latency = {t.name: latencies(t, args.requests) for t in (peer, ours)}
    latency["bare"] = latencies(bare, args.requests)
    for target, label in ((ours, f"download request p50 / p95 ms ({args.requests}×1 KB)"),
                          (bare, f"trivial route p50 / p95 ms ({args.requests}×, no DB/auth/audit)"),
                          (peer, f"download request p50 / p95 ms ({args.requests}×1 KB)")):
        lat = latency["bare" if target is bare else target.name]
        rows.append((target.name, label, f"{lat[len(lat) // 2]:.2f} / {lat[int(len(lat) * 0.95)]:.2f}"))
    p50 = {name: lat[len(lat) // 2] for name, lat in latency.items()}
    overhead = p50[ours.name] - p50["bare"]
    stack = p50[ours.name] - p50[peer.name]

    gunicorn_pid = servers[0].pid
    before = rss_tree(gunicorn_pid)
    peak, aggregate = concurrent(ours, "big", size, args.concurrency, lambda: rss_tree(gunicorn_pid))
    nginx_before = rss_tree(servers[1].pid)
    nginx_peak, nginx_aggregate = concurrent(peer, "big", size, args.concurrency, lambda: rss_tree(servers[1].pid))
    rows.append((ours.name, f"RSS MB idle → peak, {args.concurrency} parallel (aggregate MB/s)",
                 f"{before / 1e6:,.0f} → {peak / 1e6:,.0f} ({aggregate:,.0f})"))
    rows.append((peer.name, f"RSS MB idle → peak, {args.concurrency} parallel (aggregate MB/s)",
                 f"{nginx_before / 1e6:,.0f} → {nginx_peak / 1e6:,.0f} ({nginx_aggregate:,.0f})"))

    width = max(len(r[1]) for r in rows)
    print(f"\n{'server':<13} {'measure':<{width}}  result")
    for name, measure, value in rows:
        print(f"{name:<13} {measure:<{width}}  {value}")
    growth = peak - before
    goals = [(f"throughput ≥ 0.8× nginx (median): {ratio:.2f}×", ratio >= 0.8),
             ("Range requests (206, exact bytes) on both servers", all(ranges.values())),
             (f"per-download overhead of auth + audit ≤ 5 ms (p50 download − trivial route, same server): "
              f"{overhead:.2f} ms (whole stack vs nginx: {stack:+.2f} ms)", overhead <= 5),
             (f"memory flat with {args.concurrency} downloads (growth ≤ 50 MB): {growth / 1e6:+,.0f} MB",
              growth <= 50e6)]
    print()
    for text, met in goals:
        print(f"[{'met' if met else 'NOT met'}] {text}")
    return 0 if all(met for _, met in goals) else 1


# --- instance -----------------------------------------------------------------------------------

def portal(env, *args) -> str:
    result = subprocess.run([PORTAL, *map(str, args)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"portal {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def account(env) -> str:
    """The bench department (the descriptor names it), a verified account and its API token: a person
    if `portal users create` knows that kind, else staff (accounts the authority creates count as verified)."""
    code = ("from portal import create_app\nfrom portal.policies import SYSTEM\nfrom portal.services import users\n"
            "with create_app().app_context():\n    users.ensure_department(SYSTEM, 'bench', '基准测试局', '统计')\n")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)
    password = "bench-password-2026"
    person = ["users", "create", "--kind", "person", "--username", "bench-user", "--password", password,
              "--name", "张基准", "--id-number", id_number("41130219900307001"), "--mobile", "13800138000",
              "--verified"]
    kind = "person"
    if subprocess.run([PORTAL, *person], env=env, capture_output=True).returncode != 0:
        kind = "staff"
        portal(env, "users", "create", "--kind", "staff", "--username", "bench-user", "--department", "bench",
               "--password", password)
    print(f"下载账号：bench-user（{kind}）")
    return portal(env, "tokens", "create", "bench-user", "--name", "bench").strip().splitlines()[-1]


def id_number(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


def generate(path: Path, target_bytes: int) -> None:
    """Statistics-like rows (codes, counts, amounts, months, two record digests), ~190 bytes each: nothing
    for desensitization to find, and wide rows, since publishing time goes by rows (Frictionless
    validates every row twice) while download time goes by bytes."""
    digest = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(1001)]
    block = "".join(f"{{n}}{i:04d},C{i % 97:02d},{(i * 37) % 1000},{(i * 7919) % 100000}.{i % 100:02d},"
                    f"20{20 + i % 6}-{1 + i % 12:02d},{digest[i]},{digest[i + 1]}\n" for i in range(1000))
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("编号,类别代码,数量,金额,统计月份,记录摘要,上条摘要\n")
        written, n = 0, 0
        while written < target_bytes:
            chunk = block.replace("{n}", str(n))
            out.write(chunk)
            written, n = written + len(chunk), n + 1


# --- servers ------------------------------------------------------------------------------------

class Target:
    def __init__(self, name, port, prefix, headers, fixed_path=None):
        self.name, self.port, self.prefix, self.headers = name, port, prefix, headers
        self.fixed_path = fixed_path  # a route that ignores the resource name

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def url(self, resource: str) -> str:
        if self.fixed_path:
            return self.fixed_path
        return self.prefix + (resource if self.prefix.startswith("/api/") else f"{resource}.csv")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_nginx_conf(tmp: Path, root: Path, port: int) -> Path:
    folder = tmp / "nginx"
    (folder / "temp").mkdir(parents=True)
    conf = folder / "nginx.conf"
    conf.write_text(f"""daemon off;
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
    types {{ text/csv csv; }}
    sendfile on; tcp_nopush on; keepalive_requests 100000;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/temp/body; proxy_temp_path {folder}/temp/proxy;
    fastcgi_temp_path {folder}/temp/fastcgi; uwsgi_temp_path {folder}/temp/uwsgi; scgi_temp_path {folder}/temp/scgi;
    server {{ listen 127.0.0.1:{port}; root {root}; location / {{ }} }}
}}
""")
    return conf


def wait_ready(target: Target, servers: list, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in servers):
            raise SystemExit(f"{target.name} 启动失败（见临时目录中的日志，使用 --keep 保留）")
        try:
            conn = target.connect()
            conn.request("GET", target.url("small"), headers=target.headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return
            raise SystemExit(f"{target.name} 返回 {response.status}")
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{target.name} 未在 {timeout:.0f} 秒内就绪")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # the server's own process group (start_new_session)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def rss_tree(pid: int) -> int:
    """RSS in bytes of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in open(f"/proc/{current}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


# --- measurements -------------------------------------------------------------------------------

def full_download(target: Target, resource: str, size: int) -> float:
    """MB/s of one full download, read in 1 MB chunks and thrown away."""
    buffer = memoryview(bytearray(CHUNK))
    conn = target.connect()
    started = time.perf_counter()
    conn.request("GET", target.url(resource), headers=target.headers)
    response = conn.getresponse()
    received = 0
    while n := response.readinto(buffer):
        received += n
    elapsed = time.perf_counter() - started
    conn.close()
    if response.status != 200 or received != size:
        raise SystemExit(f"{target.name}: status {response.status}, {received} of {size} bytes")
    return size / 1e6 / elapsed


def range_ok(target: Target, expected: bytes) -> bool:
    conn = target.connect()
    conn.request("GET", target.url("big"), headers={**target.headers, "Range": "bytes=100-199"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status == 206 and body == expected


def latencies(target: Target, count: int) -> list[float]:
    """Sorted milliseconds of `count` full downloads of the 1 KB resource on one kept-alive connection."""
    conn = target.connect()
    times = []
    for i in range(count + 20):
        started = time.perf_counter()
        conn.request("GET", target.url("small"), headers=target.headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"{target.name}: status {response.status}")
        if i >= 20:  # warm-up
            times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return sorted(times)


def concurrent(target: Target, resource: str, size: int, clients: int, sample) -> tuple[int, float]:
    """Peak sampled RSS and aggregate MB/s while `clients` threads each download the whole file."""
    errors: list[BaseException] = []

    def one():
        try:
            full_download(target, resource, size)
        except BaseException as exc:  # reported below; a thread must not die silently
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    peak = 0
    while any(t.is_alive() for t in threads):
        peak = max(peak, sample())
        time.sleep(0.2)
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{target.name}: {errors[0]}")
    return peak, clients * size / 1e6 / (time.perf_counter() - started)


if __name__ == "__main__":
    sys.exit(main())
