// Error and fatal lines, with stack traces in each kind's language; declared in demologs.h.

#include "demologs.h"
#include "demologs_p.h"

namespace opsdeck::hub::demo {

using namespace logs;

QString cppStackTrace(Rng &rng, const QString &what)
{
    QString out = what;
    const char *frames[]
        = {"opsdeck::payments::Client::charge(opsdeck::payments::Charge const&) payments/client.cpp:214",
            "opsdeck::orders::CheckoutService::place(opsdeck::orders::Cart&) orders/checkout.cpp:88",
            "opsdeck::http::Router::dispatch(opsdeck::http::Request&) http/router.cpp:41",
            "opsdeck::http::Connection::onRequest() http/connection.cpp:173",
            "boost::asio::detail::scheduler::run(boost::system::error_code&) scheduler.ipp:209",
            "std::thread::_State_impl<...>::_M_run() thread:253"};
    const int skip = rng.range(0, 1);
    for (int i = skip; i < 6; ++i)
        out += QStringLiteral("\n    #%1 0x%2 in %3")
                   .arg(i - skip)
                   .arg(QStringLiteral("55d4") + rng.hex(8), QString::fromUtf8(frames[i]));
    return out;
}

QString javaStackTrace(Rng &rng, const QString &what)
{
    const int line = rng.range(80, 260);
    return what
        + QStringLiteral(
            "\n\tat com.opsdeck.jobs.InvoiceExporter.render(InvoiceExporter.java:%1)"
            "\n\tat com.opsdeck.jobs.InvoiceExporter.lambda$run$0(InvoiceExporter.java:%2)"
            "\n\tat java.base/java.util.stream.ReferencePipeline$3$1.accept(ReferencePipeline.java:197)"
            "\n\tat com.opsdeck.jobs.JobRunner.execute(JobRunner.java:%3)"
            "\n\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)"
            "\n\tat java.base/java.lang.Thread.run(Thread.java:840)"
            "\nCaused by: org.postgresql.util.PSQLException: ERROR: null value in column \"customer_id\" "
            "violates not-null constraint"
            "\n\tat "
            "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2713)"
            "\n\t... 6 more")
              .arg(line)
              .arg(line - rng.range(20, 60))
              .arg(rng.range(40, 120));
}

QString pythonTraceback(Rng &rng, const QString &what)
{
    return QStringLiteral("Traceback (most recent call last):"
                          "\n  File \"/opt/flowexec/flowexec/interpreter.py\", line %1, in run_block"
                          "\n    result = await block.execute(ctx)"
                          "\n  File \"/opt/flowexec/flowexec/blocks/sensor.py\", line %2, in execute"
                          "\n    value = await self.bus.read(self.address, timeout=2.0)"
                          "\n  File \"/opt/flowexec/flowexec/bus/modbus.py\", line %3, in read"
                          "\n    raise TimeoutError(f\"no response from unit {unit}\")"
                          "\n%4")
        .arg(rng.range(150, 240))
        .arg(rng.range(60, 110))
        .arg(rng.range(120, 160))
        .arg(what);
}

LogLine errorLog(const QString &kind, Rng &rng)
{
    if (kind == QLatin1String("web")) {
        if (rng.chance(0.6))
            return {kError, kErr,
                cppStackTrace(rng,
                    QStringLiteral(
                        "Unhandled exception in request POST /api/checkout: std::runtime_error: %1")
                        .arg(rng.pickStr({"payment gateway timeout after 5000 ms",
                            "invalid cart state (version mismatch)", "connection to db-01:5432 refused"})))};
        return {kError, kOut,
            QStringLiteral("%1 \"POST /api/checkout HTTP/1.1\" 500 %2 %3ms")
                .arg(ip(rng))
                .arg(rng.range(80, 400))
                .arg(rng.range(40, 5200))};
    }
    if (kind == QLatin1String("worker")) {
        if (rng.chance(0.7))
            return {kError, kErr,
                javaStackTrace(rng,
                    QStringLiteral(
                        "[pool-1-thread-%1] ERROR c.o.jobs.JobRunner - job %2 "
                        "failed\njava.lang.IllegalStateException: Invoice 2026-11-%3 has no customer")
                        .arg(rng.range(1, 16))
                        .arg(rng.range(40000, 49999))
                        .arg(rng.range(1, 9999), 5, 10, QLatin1Char('0')))};
        return {kError, kErr,
            QStringLiteral("[pool-1-thread-%1] ERROR c.o.kafka.Consumer - commit failed: "
                           "CommitFailedException (group rebalanced)")
                .arg(rng.range(1, 16))};
    }
    if (kind == QLatin1String("db")) {
        const int a = rng.range(2000, 9999);
        const int b = rng.range(2000, 9999);
        const int tx = rng.range(900000, 999999);
        return {kError, kErr,
            QStringLiteral("[%1] ERROR: deadlock detected\nDETAIL:  Process %1 waits for ShareLock on "
                           "transaction %3; blocked by process %2.\n\tProcess %2 waits for ShareLock on "
                           "transaction %4; blocked by process %1.\nHINT:  See server log for query "
                           "details.\nCONTEXT:  while updating tuple (%5,%6) in relation \"inventory\"")
                .arg(a)
                .arg(b)
                .arg(tx)
                .arg(tx + 1)
                .arg(rng.range(100, 9000))
                .arg(rng.range(1, 40))};
    }
    if (kind == QLatin1String("cache")) {
        if (rng.chance(0.5))
            return {
                kError, kErr, QStringLiteral("1:M # Background saving error: fork: Cannot allocate memory")};
        return {kError, kErr,
            QStringLiteral("1:M # === ASSERTION FAILED ===\n1:M # ==> cluster.c:%1 'n->numslots >= 0' is not "
                           "true\n------ STACK TRACE ------\nEIP:\n/usr/local/bin/cache-server "
                           "*:6379(clusterCron+0x%2)[0x55d4%3]\n\nBacktrace:\n/usr/local/bin/cache-server "
                           "*:6379(serverCron+0x%4)[0x55d4%5]\n/usr/local/bin/cache-server "
                           "*:6379(aeProcessEvents+0x2b2)[0x55d4%6]\n/usr/local/bin/cache-server "
                           "*:6379(aeMain+0x1d)[0x55d4%7]\n/usr/local/bin/cache-server "
                           "*:6379(main+0x3c5)[0x55d4%8]\n/lib/x86_64-linux-gnu/"
                           "libc.so.6(__libc_start_main+0xea)[0x7f3a%9]")
                .arg(rng.range(800, 4000))
                .arg(rng.hex(3), rng.hex(8), rng.hex(3), rng.hex(8), rng.hex(8), rng.hex(8), rng.hex(8),
                    rng.hex(8))};
    }
    if (rng.chance(0.7))
        return {kError, kErr,
            QStringLiteral("ERROR flowexec.interpreter: block failed\n")
                + pythonTraceback(
                    rng, QStringLiteral("TimeoutError: no response from unit %1").arg(rng.range(1, 6)))};
    return {kError, kOut,
        QStringLiteral("[flow] ERROR dosing pump %1 reported stall current %2 A")
            .arg(rng.range(1, 3))
            .arg(num(rng.uniform(1.8, 3.2)))};
}

LogLine fatalLog(const QString &kind, Rng &rng)
{
    if (kind == QLatin1String("web"))
        return {kFatal, kErr,
            QStringLiteral("FATAL listener on :8443 died: accept(): Too many open files (EMFILE); exiting "
                           "with status 70")};
    if (kind == QLatin1String("worker"))
        return {kFatal, kErr,
            javaStackTrace(rng,
                QStringLiteral(
                    "Exception in thread \"pool-1-thread-%1\" java.lang.OutOfMemoryError: Java heap space")
                    .arg(rng.range(1, 16)))
                + QStringLiteral("\nTerminating due to java.lang.OutOfMemoryError: Java heap space")};
    if (kind == QLatin1String("db"))
        return {kFatal, kErr,
            QStringLiteral(
                "[%1] FATAL:  could not write to file \"pg_wal/xlogtemp.%1\": No space left on device")
                .arg(rng.range(2000, 9999))};
    if (kind == QLatin1String("cache"))
        return {kFatal, kErr,
            QStringLiteral("1:M # Out Of Memory allocating %1 bytes!")
                .arg(rng.pick({16384, 65536, 1048576}))};
    return {kFatal, kErr,
        QStringLiteral(
            "CRITICAL flowexec.watchdog: controller heartbeat missed for %1 s, emergency stop engaged")
            .arg(rng.range(3, 9))};
}

} // namespace opsdeck::hub::demo
