"""Load benchmark: concurrent ``gradio_client`` askers against ``rag serve``, and batch ``rag ask``.

Prints a markdown section. Not a timed test: run it by hand on a quiet machine, e.g.

    python scripts/bench_load.py --clients 16 --seconds 60 > docs/bench-load.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Qui est le PDG d'OpenAI cité dans l'article ?",
    "What did the US Commerce Department say about Huawei's Ascend AI chips?",
    "Quelle crainte plus profonde la décision de Washington souligne-t-elle ?",
    "Which company is given as an example of China's push for technological self-sufficiency?",
    "Who is the CEO of Nvidia mentioned in the article?",
    "What is the capital of Australia?",  # unanswerable: the refusal path is load too
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen, timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not come up")


def ask_load(url: str, clients: int, seconds: float) -> dict[str, object]:
    from gradio_client import Client

    latencies: list[float] = []
    quoted: list[float] = []  # when the verified quoted answer was ready, server-side
    written: list[float] = []  # latency of the answers an LLM wrote (not kept quotes)
    errors: list[str] = []
    lock = threading.Lock()
    start_line = threading.Barrier(clients)

    def client_loop(number: int) -> None:
        client = Client(url, verbose=False)
        start_line.wait()
        stop_at = time.monotonic() + seconds
        i = number
        while time.monotonic() < stop_at:
            question = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            started = time.perf_counter()
            try:
                result = client.predict(question, api_name="/ask")
                ok = isinstance(result, dict) and "answer" in result
                error = None if ok else f"unexpected result {str(result)[:80]}"
            except Exception as exc:  # every failure counts, whatever its type
                error = f"{type(exc).__name__}: {str(exc)[:80]}"
            with lock:
                if error:
                    errors.append(error)
                    continue
                latency = time.perf_counter() - started
                latencies.append(latency)
                # The chat shows the quote as soon as it is checked; /ask returns it, with
                # its own timings, beside the final answer.
                first = result.get("extractive") or result
                quoted.append(first["timings_ms"]["total"] / 1000)
                if result.get("generator") not in (None, "extractive"):
                    written.append(latency)

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    return {
        "latencies": latencies,
        "quoted": quoted,
        "written": written,
        "errors": errors,
        "wall": wall,
    }


def upload_loop(url: str, seconds: float, folder: Path) -> dict[str, object]:
    """One client that uploads a small document, waits for it to be indexed, deletes it, again."""
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False)
    latencies: list[float] = []
    errors: list[str] = []
    stop_at = time.monotonic() + seconds
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        path = folder / f"upload-{n}.txt"
        path.write_text(f"Note {n}: the ferry to Ouessant leaves at 09:30 every morning.\n" * 20)
        started = time.perf_counter()
        try:
            result = client.predict([handle_file(path)], api_name="/upload")
            if path.name not in result.get("saved", []):
                raise RuntimeError(f"not saved: {str(result)[:80]}")
            latencies.append(time.perf_counter() - started)
            client.predict(path.name, api_name="/delete")
        except Exception as exc:  # every failure counts, whatever its type
            errors.append(f"{type(exc).__name__}: {str(exc)[:80]}")
    return {"latencies": latencies, "errors": errors}


def batch_ask(env: dict[str, str], repeat: int) -> dict[str, object]:
    questions = QUESTIONS * repeat
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "rag.cli", "ask", "--json", *questions],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    answers = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    totals = [a["timings_ms"]["total"] / 1000 for a in answers]
    return {"n": len(answers), "wall": wall, "per_question": totals}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--cli-repeat", type=int, default=5, help="times each question is asked")
    parser.add_argument(
        "--generator",
        default=None,
        help="RAG_GENERATOR for the app (default: the product's default, auto)",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ANONYMIZED_TELEMETRY": "False"}
    # A copy of the seed corpus: the upload client writes into the corpus folder.
    shutil.copytree(ROOT / "seeds", work / "corpus")
    (work / "uploads").mkdir()
    env |= {"GRADIO_ANALYTICS_ENABLED": "False", "RAG_CORPUS_DIR": str(work / "corpus")}
    env |= {"RAG_INDEX_DIR": str(work / "index")}
    if args.generator:
        env["RAG_GENERATOR"] = args.generator
    generator = args.generator or "default (auto)"
    try:
        subprocess.run(
            [sys.executable, "-m", "rag.cli", "index"], env=env, check=True, capture_output=True
        )
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "rag.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_for(url, server)
            uploads: dict[str, object] = {}
            uploader = threading.Thread(
                target=lambda: uploads.update(upload_loop(url, args.seconds, work / "uploads"))
            )
            uploader.start()
            load = ask_load(url, args.clients, args.seconds)
            uploader.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
        batch = batch_ask(env, args.cli_repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    latencies = load["latencies"]
    assert isinstance(latencies, list)
    errors = load["errors"]
    assert isinstance(errors, list)
    wall = float(load["wall"])  # type: ignore[arg-type]
    per_question = batch["per_question"]
    assert isinstance(per_question, list)
    print("## Load: concurrent askers on the web app, and batch `rag ask`\n")
    print(
        f"Machine: {os.cpu_count()} CPUs ({platform.machine()}; "
        f"load average {os.getloadavg()[0]:.1f} at the end, its own clients included), "
        f"Python {platform.python_version()}; seed corpus; generator {generator}; "
        f"app queue concurrency 4. Command: `python scripts/bench_load.py "
        f"--clients {args.clients} --seconds {args.seconds:g} --cli-repeat {args.cli_repeat}"
        f"{' --generator ' + args.generator if args.generator else ''}`.\n"
    )
    print("| run | requests | errors | throughput | p50 latency | p95 latency |")
    print("|---|---|---|---|---|---|")
    print(
        f"| web app, {args.clients} `gradio_client` clients, {wall:.0f} s | {len(latencies)} | "
        f"{len(errors)} | {len(latencies) / wall:.2f} q/s | "
        f"{percentile(latencies, 0.5):.2f} s | {percentile(latencies, 0.95):.2f} s |"
    )
    quoted, written = load["quoted"], load["written"]
    assert isinstance(quoted, list) and isinstance(written, list)
    print(
        f"| of these, the verified quoted answer ready (server side; the chat shows it then) | "
        f"{len(quoted)} | | | {percentile(quoted, 0.5):.2f} s | {percentile(quoted, 0.95):.2f} s |"
    )
    if written:
        print(
            f"| of these, answers the LLM wrote and verification kept | {len(written)} | | | "
            f"{percentile(written, 0.5):.2f} s | {percentile(written, 0.95):.2f} s |"
        )
    n, batch_wall = int(batch["n"]), float(batch["wall"])  # type: ignore[call-overload,arg-type]
    print(
        f"| `rag ask --json` with {n} questions, one process | {n} | 0 | "
        f"{n / batch_wall:.2f} q/s (incl. start-up) | {percentile(per_question, 0.5):.2f} s | "
        f"{percentile(per_question, 0.95):.2f} s |"
    )
    upload_latencies = uploads["latencies"]
    upload_errors = uploads["errors"]
    assert isinstance(upload_latencies, list) and isinstance(upload_errors, list)
    print(
        f"| meanwhile, 1 client uploading a document (indexed at once) and deleting it | "
        f"{len(upload_latencies)} | {len(upload_errors)} | {len(upload_latencies) / wall:.2f} "
        f"uploads/s | {percentile(upload_latencies, 0.5):.2f} s | "
        f"{percentile(upload_latencies, 0.95):.2f} s |"
    )
    print()
    for name, failures in (("Ask", errors), ("Upload", upload_errors)):
        if failures:
            kinds = statistics.multimode(failures)
            print(f"{name} errors: {len(failures)}; most common: `{kinds[0]}`.\n")
    print(
        "Latency is per request as the client sees it (queueing included); batch latency is "
        "the pipeline's own `timings_ms.total` per question."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
