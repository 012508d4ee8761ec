#!/usr/bin/env python3
"""The example pipeline `make run` runs against a live sqlmill server: what a migration
pipeline does with sqlmill, step by step, on the bundled example data under examples/.

Each step runs when the server hosts the service it needs (listed through reflection); a
step whose service this build does not provide yet says so instead of pretending.

Run with Debian's /usr/bin/python3 and PYTHONPATH=clients/python:build/python.
"""

import argparse
import sys

from sqlmill_client import SqlmillClient

STEPS = []


def step(service):
    def register(function):
        STEPS.append((service, function))
        return function
    return register


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", required=True, help="host:port of a sqlmill server")
    parser.add_argument("--examples", required=True, help="the examples/ folder")
    args = parser.parse_args()

    with SqlmillClient(args.server, timeout=60) as client:
        print(f"health: {client.health()}")
        services = client.list_services()
        print("services: " + ", ".join(s for s in services if s.startswith("sqlmill.")) or "-")
        failed = False
        for service, function in STEPS:
            if service not in services:
                print(f"\n[{function.__name__}] skipped: this server does not host {service}")
                continue
            print(f"\n[{function.__name__}]")
            failed |= not function(client, args.examples)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
