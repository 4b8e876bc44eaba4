#include "mixedcorpus.h"

#include <QDateTime>
#include <QFile>
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace opsdeck::bench {

namespace {
    // xorshift64*: fast and, unlike rand(), the same on every platform.
    struct Random
    {
        quint64 state;
        quint64 next()
        {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            return state * 2685821657736338717ull;
        }
        int below(int n) { return int((next() >> 33) % quint64(n)); }
        template <std::size_t N> std::string_view pick(const std::array<std::string_view, N> &items)
        {
            return items[std::size_t(below(int(N)))];
        }
    };

    constexpr std::array<std::string_view, 6> kHosts {"edge-1", "edge-2", "edge-3", "db-1", "db-2", "batch-1"};
    constexpr std::array<std::string_view, 8> kLoggers {"c.e.api.OrderController", "c.e.orders.OrderService",
        "c.e.billing.InvoiceJob", "c.e.auth.TokenFilter", "o.h.engine.jdbc.spi.SqlExceptionHelper",
        "c.e.inventory.StockClient", "o.s.web.servlet.DispatcherServlet", "c.e.cache.ShardedCache"};
    constexpr std::array<std::string_view, 5> kThreads {
        "http-nio-8080-exec-4", "http-nio-8080-exec-11", "scheduling-1", "orders-worker-3", "main"};
    constexpr std::array<std::string_view, 6> kPaths {"/api/orders/", "/api/invoices/", "/api/users/",
        "/static/app.", "/api/inventory/sku-", "/healthz?probe="};
    constexpr std::array<std::string_view, 4> kAgents {"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "curl/8.5.0", "kube-probe/1.29", "Go-http-client/1.1"};
    constexpr std::array<std::string_view, 7> kJsonLoggers {
        "billing.invoices", "auth.sessions", "search.indexer", "mailer", "gateway", "payments.psp", "scheduler"};
    constexpr std::array<std::string_view, 3> kMonths3 {"Sep", "Oct", "Nov"};

    // Wall-clock strings of the current second in the forms the four formats use, rebuilt only
    // when the second changes (an event is ~3 ms apart).
    struct Stamps
    {
        qint64 second = -1;
        std::string isoLocal; // 2025-10-01T12:00:00 (written with +02:00)
        std::string isoUtc; // 2025-10-01T10:00:00 (written with Z)
        std::string syslog; // Oct  1 12:00:00
        std::string clf; // 01/Oct/2025:12:00:00 +0200

        void update(qint64 msUtc)
        {
            if (msUtc / 1000 == second)
                return;
            second = msUtc / 1000;
            const QDateTime utc = QDateTime::fromSecsSinceEpoch(second, Qt::UTC);
            const QDateTime local = utc.toOffsetFromUtc(2 * 3600);
            isoUtc = utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toStdString();
            isoLocal = local.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toStdString();
            const QDate d = local.date();
            const std::string month(kMonths3[std::size_t(std::clamp(d.month() - 9, 0, 2))]);
            syslog = month + (d.day() < 10 ? "  " : " ") + std::to_string(d.day()) + ' '
                + local.toString(QStringLiteral("HH:mm:ss")).toStdString();
            clf = local.toString(QStringLiteral("dd/")).toStdString() + month
                + local.toString(QStringLiteral("/yyyy:HH:mm:ss")).toStdString() + " +0200";
        }
    };

    void appendMs(std::string &out, qint64 msUtc)
    {
        const int ms = int(msUtc % 1000);
        out += '.';
        out += char('0' + ms / 100);
        out += char('0' + ms / 10 % 10);
        out += char('0' + ms % 10);
    }

    const char *appLevel(int r)
    {
        return r < 70 ? "INFO " : r < 85 ? "DEBUG" : r < 95 ? "WARN " : "ERROR";
    }

    void appendAppMessage(std::string &out, Random &random, qint64 n)
    {
        switch (random.below(5)) {
        case 0:
            out += "GET /api/orders/" + std::to_string(n % 90000) + " took " + std::to_string(random.below(900))
                + "ms user=u" + std::to_string(random.below(5000));
            break;
        case 1:
            out += "reindexed " + std::to_string(random.below(20000)) + " rows of shard "
                + std::to_string(random.below(64)) + " in " + std::to_string(random.below(3000)) + " ms";
            break;
        case 2:
            out += "upstream inventory-svc answered 503 after " + std::to_string(1000 + random.below(3000))
                + " ms, retry " + std::to_string(1 + random.below(3)) + "/3";
            break;
        case 3:
            out += "HikariPool-1 - connection stats (total=20, active=" + std::to_string(random.below(20))
                + ", idle=" + std::to_string(random.below(20)) + ", waiting=0)";
            break;
        default:
            out += "cache hit ratio 0." + std::to_string(10 + random.below(90)) + " for tenant t-"
                + std::to_string(random.below(300));
        }
    }

    // Continuation lines only (no stamp); returns how many.
    int appendTrace(std::string &out, Random &random, qint64 n)
    {
        const int frames = 2 + random.below(7); // 3–9 lines with the exception line
        if (random.below(4) == 0) {
            out += "Traceback (most recent call last):\n";
            for (int i = 1; i < frames; ++i)
                out += "  File \"/srv/app/jobs/export.py\", line " + std::to_string(40 + 17 * i) + ", in step_"
                    + std::to_string(i) + "\n";
            return frames;
        }
        out += "java.lang.IllegalStateException: inventory reservation expired for order "
            + std::to_string(n % 90000) + "\n";
        for (int i = 1; i < frames - 1; ++i)
            out += "\tat com.example.orders.OrderService.step" + std::to_string(i) + "(OrderService.java:"
                + std::to_string(100 + 13 * i) + ")\n";
        out += "Caused by: java.net.SocketTimeoutException: Read timed out\n";
        return frames;
    }
} // namespace

bool writeMixedCorpus(const QString &path, qint64 lines, quint64 seed, CorpusStats &stats, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    stats = CorpusStats();
    Random random {seed | 1};
    Stamps stamps;
    qint64 msUtc = 1759312800000; // 2025-10-01T10:00:00Z
    std::string out;
    out.reserve(2 << 20);
    while (stats.lines < lines) {
        msUtc += 1 + random.below(5);
        stamps.update(msUtc);
        ++stats.events;
        ++stats.lines;
        const int kind = random.below(100);
        if (kind < 40) {
            ++stats.appLines;
            const bool withTrace = random.below(20) == 0; // 5 % of the 40 %: 2 % of all events
            out += stamps.isoLocal;
            appendMs(out, msUtc);
            out += "+02:00 ";
            out += withTrace ? "ERROR" : appLevel(random.below(100));
            out += " [";
            out += random.pick(kThreads);
            out += "] ";
            out += random.pick(kLoggers);
            out += " - ";
            if (withTrace)
                out += "failed to process order " + std::to_string(stats.events % 90000);
            else
                appendAppMessage(out, random, stats.events);
            out += '\n';
            if (withTrace) {
                const int n = appendTrace(out, random, stats.events);
                ++stats.traces;
                stats.traceLines += n;
                stats.lines += n;
            }
        } else if (kind < 60) {
            ++stats.syslogLines;
            out += stamps.syslog;
            out += ' ';
            out += random.pick(kHosts);
            switch (random.below(4)) {
            case 0:
                out += " sshd[" + std::to_string(2000 + random.below(3000)) + "]: Accepted publickey for deploy from 10.0."
                    + std::to_string(random.below(8)) + '.' + std::to_string(random.below(250)) + " port "
                    + std::to_string(40000 + random.below(20000)) + " ssh2\n";
                break;
            case 1:
                out += " CRON[" + std::to_string(9000 + random.below(999)) + "]: (root) CMD (run-parts /etc/cron.hourly)\n";
                break;
            case 2:
                out += " kernel: [" + std::to_string(100000 + random.below(800000)) + ".123456] TCP: request_sock_TCP: "
                                                                                       "Possible SYN flooding on port 443. Sending cookies.\n";
                break;
            default:
                out += " systemd[1]: Started Session " + std::to_string(random.below(5000)) + " of user deploy.\n";
            }
        } else if (kind < 82) {
            ++stats.nginxLines;
            const int status = random.below(100);
            out += "10.0." + std::to_string(random.below(8)) + '.' + std::to_string(random.below(250)) + " - - [";
            out += stamps.clf;
            out += "] \"GET ";
            out += random.pick(kPaths);
            out += std::to_string(random.below(100000));
            out += " HTTP/1.1\" ";
            out += status < 90 ? "200" : status < 96 ? "304" : status < 99 ? "404" : "502";
            out += ' ' + std::to_string(200 + random.below(40000)) + " \"https://console.example.com/orders\" \"";
            out += random.pick(kAgents);
            out += "\" 0." + std::to_string(100 + random.below(900)) + '\n';
        } else {
            ++stats.jsonLines;
            const int r = random.below(100);
            out += "{\"ts\":\"";
            out += stamps.isoUtc;
            appendMs(out, msUtc);
            out += "Z\",\"level\":\"";
            out += r < 75 ? "info" : r < 88 ? "debug" : r < 96 ? "warn" : "error";
            out += "\",\"logger\":\"";
            out += random.pick(kJsonLoggers);
            out += "\",\"host\":\"";
            out += random.pick(kHosts);
            out += "\",\"msg\":\"request finished\",\"tenant\":\"t-" + std::to_string(random.below(300))
                + "\",\"duration_ms\":" + std::to_string(random.below(2000)) + ",\"trace_id\":\""
                + std::to_string(random.next()) + "\"}\n";
        }
        if (out.size() > (1 << 20)) {
            if (file.write(out.data(), qint64(out.size())) != qint64(out.size()))
                break;
            out.clear();
        }
    }
    if (file.write(out.data(), qint64(out.size())) != qint64(out.size()) || !file.flush()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    stats.bytes = file.size();
    return true;
}

bool countLines(const QString &path, CorpusStats &stats, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    stats = CorpusStats();
    QByteArray block(1 << 20, Qt::Uninitialized);
    char last = '\n';
    for (qint64 n; (n = file.read(block.data(), block.size())) > 0;) {
        stats.bytes += n;
        stats.lines += std::count(block.constData(), block.constData() + n, '\n');
        last = block[n - 1];
    }
    if (last != '\n')
        ++stats.lines;
    return true;
}

} // namespace opsdeck::bench
