"""S3 through asyncpg: copy_records_to_table (binary COPY) of 100 000 rows of six columns, best of three.
Prints rows per second."""
import asyncio
import datetime
import decimal
import sys
import time

import asyncpg


async def main(url: str) -> None:
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    rows = [(i, f"row number {i} with\ttab", decimal.Decimal(i % 100000) / 100, i % 1000,
             start + datetime.timedelta(seconds=i), i % 2 == 0) for i in range(100_000)]
    connection = await asyncpg.connect(url)
    best = None
    for _ in range(3):
        await connection.execute("TRUNCATE bench.copy_target")
        began = time.perf_counter()
        async with connection.transaction():
            await connection.copy_records_to_table(
                "copy_target", schema_name="bench", records=rows,
                columns=["id", "name", "price", "qty", "created_at", "active"])
        elapsed = time.perf_counter() - began
        best = elapsed if best is None else min(best, elapsed)
    await connection.close()
    print(f"{len(rows) / best:.1f}")


asyncio.run(main(sys.argv[1]))
