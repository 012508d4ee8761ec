"""Starts a real sqlmill server binary on free loopback ports and stops it.

The server prints one line when it is ready:
  sqlmill-server listening on 127.0.0.1:PORT (gRPC), admin http://127.0.0.1:APORT/metrics ...
and writes JSON log lines to stderr, which are kept in a file for the test to read.
"""

import os
import re
import select
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request



class ServerProcess:
    def __init__(self, binary, flags, ready_timeout=30.0):
        defaults = ["--host=127.0.0.1", "--port=0"]
        if not any(f.startswith("--admin_port") for f in flags):
            defaults.append("--admin_port=0")
        self._stderr = tempfile.NamedTemporaryFile(prefix="sqlmill-server-", suffix=".log",
                                                   delete=False)
        self.process = subprocess.Popen([binary] + defaults + flags, stdout=subprocess.PIPE,
                                        stderr=self._stderr, text=True)
        self.port, self.admin_port = self._wait_ready(ready_timeout)
        self.address = f"127.0.0.1:{self.port}"

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        line = ""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.log()}")
            ready, _, _ = select.select([self.process.stdout], [], [], 0.1)
            if ready:
                line = self.process.stdout.readline()
                match = re.search(r"listening on [\d.]+:(\d+)", line)
                if match:
                    admin = re.search(r"admin http://[\d.]+:(\d+)", line)
                    return int(match.group(1)), int(admin.group(1)) if admin else None
        self.kill()
        raise RuntimeError(f"server not ready within {timeout}s; last line {line!r}")

    def http_get(self, path, timeout=5.0):
        """Returns (status, body) of GET on the admin endpoint."""
        url = f"http://127.0.0.1:{self.admin_port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def terminate(self):
        """Sends SIGTERM (the Kubernetes stop signal)."""
        self.process.send_signal(signal.SIGTERM)

    def wait(self, timeout):
        return self.process.wait(timeout=timeout)

    def log(self):
        with open(self._stderr.name, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process.stdout:
            self.process.stdout.close()
        self._stderr.close()
        if os.path.exists(self._stderr.name):
            os.unlink(self._stderr.name)
