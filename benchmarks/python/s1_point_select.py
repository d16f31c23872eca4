"""S1 through asyncpg, the driver under the Python pgdbm: one connection, a prepared primary-key select,
as many as fit in the given seconds. Prints queries per second."""
import asyncio
import random
import sys
import time

import asyncpg


async def main(url: str, seconds: float) -> None:
    connection = await asyncpg.connect(url)
    statement = await connection.prepare(
        "SELECT id, name, price, qty, created_at, active FROM bench.items WHERE id = $1")
    for _ in range(2000):  # warm up
        await statement.fetchrow(random.randint(1, 10000))
    count = 0
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        await statement.fetchrow(random.randint(1, 10000))
        count += 1
    elapsed = time.perf_counter() - started
    await connection.close()
    print(f"{count / elapsed:.1f}")


asyncio.run(main(sys.argv[1], float(sys.argv[2])))
