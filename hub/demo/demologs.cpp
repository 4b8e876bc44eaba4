#include "demologs.h"

#include "demorandom.h"

namespace opsdeck::hub::demo {

namespace {

    const QString kTrace = QStringLiteral("trace");
    const QString kDebug = QStringLiteral("debug");
    const QString kInfo = QStringLiteral("info");
    const QString kWarn = QStringLiteral("warn");
    const QString kError = QStringLiteral("error");
    const QString kFatal = QStringLiteral("fatal");
    const QString kOut = QStringLiteral("stdout");
    const QString kErr = QStringLiteral("stderr");

    QString num(double value, int decimals = 1)
    {
        return QString::number(value, 'f', decimals);
    }
    QString ip(Rng &rng)
    {
        return QStringLiteral("10.%1.%2.%3")
            .arg(rng.range(0, 4))
            .arg(rng.range(0, 255))
            .arg(rng.range(2, 254));
    }

    // Response latency in ms: log-normal-ish, with a heavy tail like a real service.
    int latencyMs(Rng &rng)
    {
        const double base = std::exp(rng.gauss(3.2, 0.7)); // median ~25 ms
        return std::max(1, int(rng.chance(0.03) ? base * rng.uniform(10, 60) : base));
    }

    struct HttpRequest
    {
        QString method;
        QString path;
    };

    HttpRequest httpRequest(Rng &rng)
    {
        const QString get = QStringLiteral("GET");
        switch (rng.range(0, 11)) {
        case 0:
            return {get, QStringLiteral("/api/orders?page=%1").arg(rng.range(1, 40))};
        case 1:
            return {get, QStringLiteral("/api/orders/%1").arg(rng.range(100000, 999999))};
        case 2:
            return {get, QStringLiteral("/api/customers/%1/invoices").arg(rng.range(1000, 99999))};
        case 3:
            return {get,
                QStringLiteral("/api/catalog/search?q=%1")
                    .arg(rng.pickStr({"valve", "pump", "sensor+ec", "ph+probe", "tubing"}))};
        case 4:
            return {get, QStringLiteral("/healthz")};
        case 5:
            return {QStringLiteral("POST"), QStringLiteral("/api/cart/items")};
        case 6:
            return {get, QStringLiteral("/static/app.%1.js").arg(rng.hex(8))};
        case 7:
            return {get,
                QStringLiteral("/api/reports/monthly?month=2026-%1")
                    .arg(rng.range(1, 11), 2, 10, QLatin1Char('0'))};
        case 8:
            return {QStringLiteral("POST"), QStringLiteral("/api/session/refresh")};
        case 9:
            return {QStringLiteral("PUT"),
                QStringLiteral("/api/orders/%1/address").arg(rng.range(100000, 999999))};
        case 10:
            return {QStringLiteral("DELETE"), QStringLiteral("/api/cart/items/%1").arg(rng.range(1, 40))};
        default:
            return {get,
                QStringLiteral("/api/inventory/%1").arg(rng.pickStr({"EU-WEST", "EU-CENTRAL", "US-EAST"}))};
        }
    }

    QString accessLine(Rng &rng)
    {
        const HttpRequest request = httpRequest(rng);
        int status = 200;
        int bytes = rng.range(300, 48000);
        if (rng.chance(0.06)) {
            status = rng.pick({400, 401, 404, 409, 422});
            bytes = rng.range(60, 400);
        } else if (request.method == QLatin1String("DELETE")) {
            status = 204;
            bytes = 0;
        } else if (request.method == QLatin1String("POST")) {
            status = rng.pick({200, 201});
        } else if (request.path.startsWith(QLatin1String("/static/")) && rng.chance(0.6)) {
            status = 304;
            bytes = 0;
        } else if (request.path == QLatin1String("/healthz")) {
            bytes = 15;
        }
        return QStringLiteral("%1 \"%2 %3 HTTP/1.1\" %4 %5 %6ms ua=\"%7\"")
            .arg(ip(rng), request.method, request.path)
            .arg(status)
            .arg(bytes)
            .arg(latencyMs(rng))
            .arg(rng.pickStr({"Mozilla/5.0", "okhttp/4.12", "opsdeck-probe/1.0", "curl/8.4.0"}));
    }

    LogLine webLine(Rng &rng, const QString &level)
    {
        if (level == kTrace)
            return {level, kOut,
                rng.chance(0.5) ? QStringLiteral("http2 stream %1 WINDOW_UPDATE +%2")
                                      .arg(rng.range(1, 4000) * 2 + 1)
                                      .arg(rng.pick({16384, 32768, 65535}))
                                : QStringLiteral("tls: session resumed for %1 (ticket age %2s)")
                                      .arg(ip(rng))
                                      .arg(rng.range(3, 7000))};
        if (level == kDebug) {
            switch (rng.range(0, 2)) {
            case 0:
                return {level, kOut,
                    QStringLiteral("db pool: %1/64 connections in use, %2 waiting")
                        .arg(rng.range(3, 40))
                        .arg(rng.chance(0.8) ? 0 : rng.range(1, 6))};
            case 1:
                return {level, kOut,
                    QStringLiteral("route matched %1 -> %2")
                        .arg(rng.pickStr({"/api/orders/:id", "/api/cart", "/api/customers/:id/invoices"}),
                            rng.pickStr({"OrdersController::show", "CartController::get",
                                "InvoiceController::list"}))};
            default:
                return {level, kOut,
                    QStringLiteral("cache %1 for key %2:%3 (%4 ms)")
                        .arg(rng.pickStr({"hit", "hit", "hit", "miss"}),
                            rng.pickStr({"session", "catalog", "price"}), rng.hex(12))
                        .arg(rng.range(0, 3))};
            }
        }
        if (level == kInfo) {
            if (rng.chance(0.9))
                return {level, kOut, accessLine(rng)};
            return {level, kOut,
                QStringLiteral("worker pool stats: %1 req/s, p50 %2 ms, p99 %3 ms, %4 keep-alive")
                    .arg(rng.range(40, 900))
                    .arg(rng.range(8, 30))
                    .arg(rng.range(90, 700))
                    .arg(rng.range(20, 300))};
        }
        if (level == kWarn) {
            switch (rng.range(0, 3)) {
            case 0: {
                const HttpRequest request = httpRequest(rng);
                return {level, kOut,
                    QStringLiteral("slow request %1 %2 took %3ms (threshold 1000ms)")
                        .arg(request.method, request.path)
                        .arg(rng.range(1100, 6200))};
            }
            case 1:
                return {level, kErr,
                    QStringLiteral("upstream payments-svc responded 503, retrying (attempt %1/3)")
                        .arg(rng.range(1, 3))};
            case 2:
                return {level, kOut,
                    QStringLiteral("rate limiter: client %1 over budget (%2 req/min), answering 429")
                        .arg(ip(rng))
                        .arg(rng.pick({120, 300, 600}))};
            default:
                return {level, kErr,
                    QStringLiteral("certificate for api.opsdeck.example expires in %1 days")
                        .arg(rng.range(5, 20))};
            }
        }
        return {};
    }

    LogLine workerLine(Rng &rng, const QString &level)
    {
        const QString thread
            = QStringLiteral("[pool-%1-thread-%2]").arg(rng.range(1, 3)).arg(rng.range(1, 16));
        if (level == kTrace)
            return {level, kOut,
                QStringLiteral("%1 TRACE c.o.jobs.LockManager - acquired lock job:%2 (ttl 30s)")
                    .arg(thread)
                    .arg(rng.range(40000, 49999))};
        if (level == kDebug) {
            const int active = rng.range(0, 6);
            if (rng.chance(0.5))
                return {level, kOut,
                    QStringLiteral(
                        "%1 DEBUG c.o.kafka.Consumer - fetched %2 records from orders-events (lag %3)")
                        .arg(thread)
                        .arg(rng.range(1, 500))
                        .arg(rng.range(0, 4000))};
            return {level, kOut,
                QStringLiteral("%1 DEBUG com.zaxxer.hikari.pool.HikariPool - HikariPool-1 - stats (total=10, "
                               "active=%2, idle=%3, waiting=0)")
                    .arg(thread)
                    .arg(active)
                    .arg(10 - active)};
        }
        if (level == kInfo) {
            switch (rng.range(0, 2)) {
            case 0:
                return {level, kOut,
                    QStringLiteral("%1 INFO c.o.jobs.Scheduler - queued %2 jobs (next run in %3 s)")
                        .arg(thread)
                        .arg(rng.range(1, 30))
                        .arg(rng.range(5, 120))};
            case 1:
                return {level, kOut,
                    QStringLiteral("%1 INFO c.o.kafka.Consumer - consumer group orders-sync: committed "
                                   "offset %2 on partition %3")
                        .arg(thread)
                        .arg(rng.range(1000000, 9000000))
                        .arg(rng.range(0, 11))};
            default:
                return {level, kOut,
                    QStringLiteral("%1 INFO c.o.mail.Dispatcher - sent %2 notification e-mails in %3 ms")
                        .arg(thread)
                        .arg(rng.range(1, 80))
                        .arg(rng.range(40, 2400))};
            }
        }
        if (level == kWarn) {
            if (rng.chance(0.5))
                return {level, kErr,
                    QStringLiteral(
                        "[GC (G1 Evacuation Pause) %1M->%2M(4096M), %3 ms] pause above 200 ms target")
                        .arg(rng.range(2400, 3800))
                        .arg(rng.range(900, 1800))
                        .arg(rng.range(210, 780))};
            return {level, kErr,
                QStringLiteral("%1 WARN c.o.storage.S3Uploader - retrying PUT s3://exports/%2.csv.gz after "
                               "SocketTimeoutException (attempt %3/5)")
                    .arg(thread, rng.token(10))
                    .arg(rng.range(2, 4))};
        }
        return {};
    }

    LogLine dbLine(Rng &rng, const QString &level)
    {
        const QString pid = QStringLiteral("[%1]").arg(rng.range(2000, 9999));
        if (level == kTrace)
            return {level, kOut,
                QStringLiteral("%1 DEBUG5: xlog flush request %2/%3; write %2/%4; flush %2/%5")
                    .arg(pid)
                    .arg(rng.range(1, 9))
                    .arg(rng.hex(8).toUpper(), rng.hex(8).toUpper(), rng.hex(8).toUpper())};
        if (level == kDebug) {
            if (rng.chance(0.5))
                return {level, kOut,
                    QStringLiteral("%1 DEBUG: replication lag to standby db-replica: %2 kB (%3 s)")
                        .arg(pid)
                        .arg(rng.range(0, 900))
                        .arg(num(rng.uniform(0, 1.5), 2))};
            return {level, kOut,
                QStringLiteral("%1 DEBUG: autovacuum: processing database \"shop\" (%2 tables due)")
                    .arg(pid)
                    .arg(rng.range(0, 6))};
        }
        if (level == kInfo) {
            switch (rng.range(0, 2)) {
            case 0:
                return {level, kOut,
                    QStringLiteral(
                        "%1 LOG: connection authorized: user=app database=shop application_name=%2")
                        .arg(pid, rng.pickStr({"orders-api", "jobs-worker", "reporting", "psql"}))};
            case 1: {
                const int buffers = rng.range(200, 9000);
                const double write = rng.uniform(2, 28);
                return {level, kOut,
                    QStringLiteral("[812] LOG: checkpoint complete: wrote %1 buffers (%2%); 0 WAL file(s) "
                                   "added, %3 removed, %4 recycled; write=%5 s, sync=%6 s, total=%7 s")
                        .arg(buffers)
                        .arg(num(buffers / 163.84))
                        .arg(rng.range(0, 3))
                        .arg(rng.range(0, 4))
                        .arg(num(write, 3), num(rng.uniform(0.001, 0.09), 3), num(write + 0.1, 3))};
            }
            default:
                return {level, kOut,
                    QStringLiteral(
                        "%1 LOG: automatic analyze of table \"shop.public.%2\": %3 pages, %4 live rows")
                        .arg(pid, rng.pickStr({"orders", "order_items", "customers", "inventory"}))
                        .arg(rng.range(800, 90000))
                        .arg(rng.range(10000, 9000000))};
            }
        }
        if (level == kWarn) {
            if (rng.chance(0.65))
                return {level, kErr,
                    QStringLiteral("%1 LOG: duration: %2 ms  statement: SELECT o.id, o.total, c.email FROM "
                                   "orders o JOIN customers c ON c.id = o.customer_id WHERE o.created_at > "
                                   "now() - interval '%3 days' ORDER BY o.total DESC")
                        .arg(pid, num(rng.uniform(1001, 9000), 3))
                        .arg(rng.range(7, 90))};
            return {level, kErr,
                QStringLiteral("%1 WARNING: could not receive data from client: Connection reset by peer")
                    .arg(pid)};
        }
        return {};
    }

    LogLine cacheLine(Rng &rng, const QString &level)
    {
        const QString pid = QStringLiteral("1:M"); // the server runs as pid 1 in its container
        if (level == kTrace)
            return {level, kOut,
                QStringLiteral("%1 . expire cycle: sampled 20 keys, %2 expired, %3 us")
                    .arg(pid)
                    .arg(rng.range(0, 7))
                    .arg(rng.range(30, 900))};
        if (level == kDebug) {
            if (rng.chance(0.5))
                return {level, kOut,
                    QStringLiteral("%1 . Accepted %2:%3 (%4 clients connected)")
                        .arg(pid, ip(rng))
                        .arg(rng.range(30000, 65000))
                        .arg(rng.range(40, 400))};
            return {level, kOut,
                QStringLiteral("%1 . evicted %2 keys (allkeys-lru) in %3 ms")
                    .arg(pid)
                    .arg(rng.range(10, 900))
                    .arg(rng.range(1, 9))};
        }
        if (level == kInfo) {
            if (rng.chance(0.6)) {
                const int hits = rng.range(100000, 900000);
                const double ratio = rng.uniform(0.86, 0.985);
                return {level, kOut,
                    QStringLiteral(
                        "%1 * stats: hit ratio %2% (hits %3, misses %4), %5M keys, used_memory %6M")
                        .arg(pid, num(ratio * 100))
                        .arg(hits)
                        .arg(int(hits * (1 - ratio)))
                        .arg(num(rng.uniform(0.8, 2.4)))
                        .arg(num(rng.uniform(600, 1400)))};
            }
            return {level, kOut,
                QStringLiteral("%1 * %2 changes in %3 seconds. Saving...")
                    .arg(pid)
                    .arg(rng.range(100, 20000))
                    .arg(rng.pick({60, 300, 900}))};
        }
        if (level == kWarn) {
            if (rng.chance(0.5))
                return {level, kOut,
                    QStringLiteral("%1 # hit ratio dropped to %2% (below 80% threshold)")
                        .arg(pid, num(rng.uniform(55, 79.9)))};
            return {level, kOut,
                QStringLiteral("%1 # slowlog: %2 took %3 ms")
                    .arg(pid, rng.pickStr({"KEYS session:*", "SMEMBERS cart:big", "HGETALL catalog:index"}))
                    .arg(rng.range(20, 400))};
        }
        return {};
    }

    LogLine flowLine(Rng &rng, const QString &level)
    {
        // Python's logging module writes to stderr by default; print() goes to stdout.
        if (level == kTrace)
            return {level, kErr,
                QStringLiteral("TRACE flowexec.bus.serial: /dev/ttyUSB0 tx %1 03 %2 %3 00 02 (%4 bytes)")
                    .arg(rng.hex(2).toUpper(), rng.hex(2).toUpper(), rng.hex(2).toUpper())
                    .arg(8)};
        if (level == kDebug)
            return {level, kErr,
                QStringLiteral(
                    "DEBUG flowexec.bus.modbus: read holding registers unit=%1 addr=%2 count=2 -> [%3, 0]")
                    .arg(rng.range(1, 6))
                    .arg(40001 + rng.range(0, 20))
                    .arg(rng.range(0, 999))};
        if (level == kInfo) {
            if (rng.chance(0.5))
                return {level, kOut,
                    QStringLiteral("[flow] tank %1 level %2%, temperature %3 °C")
                        .arg(rng.pickStr({"A", "B", "C"}))
                        .arg(rng.range(20, 98))
                        .arg(num(rng.uniform(18, 26)))};
            return {level, kErr,
                QStringLiteral("INFO flowexec.scheduler: next program '%1' at %2:%3")
                    .arg(rng.pickStr({"Nutrient cycle", "Irrigation zone 2", "pH correction"}))
                    .arg(rng.range(0, 23), 2, 10, QLatin1Char('0'))
                    .arg(rng.pick({0, 15, 30, 45}), 2, 10, QLatin1Char('0'))};
        }
        if (level == kWarn)
            return {level, kErr,
                QStringLiteral("WARNING flowexec.sensors: %1 drift %2 since calibration (recalibrate soon)")
                    .arg(rng.pickStr({"pH probe", "EC probe", "DO sensor"}), num(rng.uniform(0.1, 0.4), 2))};
        return {};
    }

} // namespace

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

LogLine routineLog(const QString &kind, Rng &rng)
{
    const double r = rng.uniform();
    const QString &level = r < 0.14 ? kTrace
        : r < 0.36                  ? kDebug
        : r < 0.86                  ? kInfo
        : r < 0.97                  ? kWarn
        : r < 0.9995                ? kError
                                    : kFatal;
    if (level == kError)
        return errorLog(kind, rng);
    if (level == kFatal)
        return fatalLog(kind, rng);
    if (kind == QLatin1String("web"))
        return webLine(rng, level);
    if (kind == QLatin1String("worker"))
        return workerLine(rng, level);
    if (kind == QLatin1String("db"))
        return dbLine(rng, level);
    if (kind == QLatin1String("cache"))
        return cacheLine(rng, level);
    return flowLine(rng, level);
}

LogLine startupLog(const QString &kind, const QString &version, Rng &rng)
{
    const int pid = rng.range(1000, 60000);
    if (kind == QLatin1String("worker"))
        return {kInfo, kOut,
            QStringLiteral("Starting JobsWorker v%1 using Java 17.0.9 with PID %2 (heap 4096M)")
                .arg(version)
                .arg(pid)};
    if (kind == QLatin1String("db"))
        return {kInfo, kOut,
            QStringLiteral("[%1] LOG: database system is ready to accept connections (v%2)")
                .arg(pid)
                .arg(version)};
    if (kind == QLatin1String("cache"))
        return {kInfo, kOut,
            QStringLiteral("%1:M * Server initialized, v%2, ready to accept connections tcp")
                .arg(pid)
                .arg(version)};
    if (kind == QLatin1String("flow"))
        return {kInfo, kErr,
            QStringLiteral(
                "INFO flowexec: flow executor v%1 (pid %2) connected to controller on /dev/ttyUSB0")
                .arg(version)
                .arg(pid)};
    return {kInfo, kOut,
        QStringLiteral("orders-api v%1 (pid %2) listening on :8443 with %3 worker threads")
            .arg(version)
            .arg(pid)
            .arg(rng.pick({8, 16, 32}))};
}

} // namespace opsdeck::hub::demo
