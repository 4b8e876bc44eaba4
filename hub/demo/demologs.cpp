#include "demologs.h"

#include "demologs_p.h"

namespace opsdeck::hub::demo {

using namespace logs;

namespace {

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
