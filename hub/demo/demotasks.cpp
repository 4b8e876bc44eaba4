// Background task vocabulary and chat replies; declared in demologs.h.

#include "demologs.h"
#include "demorandom.h"

#include <QHash>

namespace opsdeck::hub::demo {

QString backgroundTaskName(const QString &kind, Rng &rng)
{
    if (kind == QLatin1String("web"))
        return rng.pickStr({"traffic spike: flash sale", "warming template cache",
            "rotating TLS session keys", "draining connections for canary v2.4.2"});
    if (kind == QLatin1String("worker"))
        return QStringLiteral("%1 #%2")
            .arg(rng.pickStr({"reindex orders", "export invoices 2026-11", "thumbnail batch",
                "sync CRM contacts", "recompute loyalty points"}))
            .arg(rng.range(40000, 49999));
    if (kind == QLatin1String("db"))
        return rng.pickStr({"vacuum analyze orders", "base backup to s3://opsdeck-backups/shop",
            "reindex concurrently idx_orders_created_at", "replication catch-up"});
    if (kind == QLatin1String("cache"))
        return rng.pickStr(
            {"background save (BGSAVE)", "eviction sweep", "rehashing keyspace", "AOF rewrite"});
    return QStringLiteral("program: Nutrient cycle");
}

LogLine taskProgressLog(const QString &kind, const QString &task, int percent, Rng &rng)
{
    const QString info = QStringLiteral("info");
    if (kind == QLatin1String("worker")) {
        const int total = 1000 + int(qHash(task) % 9000);
        return {info, QStringLiteral("stdout"),
            QStringLiteral("[pool-2-thread-%1] INFO c.o.jobs.JobRunner - %2: %3% (%4/%5 items, %6 items/s)")
                .arg(rng.range(1, 8))
                .arg(task)
                .arg(percent)
                .arg(total * percent / 100)
                .arg(total)
                .arg(rng.range(40, 400))};
    }
    if (kind == QLatin1String("db"))
        return {info, QStringLiteral("stdout"),
            QStringLiteral("[%1] LOG: %2: %3% done, %4 MB processed")
                .arg(rng.range(2000, 9999))
                .arg(task)
                .arg(percent)
                .arg(rng.range(100, 9000))};
    if (kind == QLatin1String("cache"))
        return {info, QStringLiteral("stdout"),
            QStringLiteral("%1:C * %2: %3% (%4 keys written)")
                .arg(rng.range(20, 900))
                .arg(task)
                .arg(percent)
                .arg(rng.range(10000, 2000000))};
    return {info, QStringLiteral("stdout"),
        QStringLiteral("%1: %2% (%3 req/s, %4 active connections)")
            .arg(task)
            .arg(percent)
            .arg(rng.range(300, 2400))
            .arg(rng.range(200, 3000))};
}

LogLine taskFinishedLog(const QString &kind, const QString &task, bool success, qint64 durationMs, Rng &rng)
{
    const QString seconds = QString::number(double(durationMs) / 1000.0, 'f', 1);
    if (success)
        return {QStringLiteral("info"), QStringLiteral("stdout"),
            QStringLiteral("%1 finished in %2 s").arg(task, seconds)};
    LogLine line = errorLog(kind, rng);
    line.message = QStringLiteral("%1 failed after %2 s: ").arg(task, seconds) + line.message;
    return line;
}

QString chatReply(const QString &agentId, const QString &text, Rng &rng)
{
    const QString lower = text.toLower();
    if (lower.startsWith(QLatin1String("hello")) || lower.startsWith(QLatin1String("hi"))
        || lower.startsWith(QLatin1String("hey"))) {
        QString name = text.section(QLatin1Char(' '), 1, 1).remove(QLatin1Char('!')).remove(QLatin1Char(','));
        if (name.isEmpty())
            name = QStringLiteral("there");
        return rng
            .pickStr({"Hello! I'm the assistant on %1. How can I help you today?",
                "Hi! %1 here — all systems nominal. What would you like to look at?",
                "Hello! Ask me about %1's recent jobs, errors or metrics."})
            .arg(agentId)
            .prepend(name == QLatin1String("there") ? QString()
                                                    : QStringLiteral("(%1 at your service) ").arg(name));
    }
    if (lower.contains(QLatin1String("help")))
        return QStringLiteral(
            "I understand: status, echo <text>, sleep <seconds>, fail [message] and chat <text>.");
    if (lower.contains(QLatin1String("error")) || lower.contains(QLatin1String("fail")))
        return rng
            .pickStr({"The last errors on %1 were transient; retries succeeded. The Logs pane has the stack "
                      "traces.",
                "I see a handful of errors on %1 in the last hour, mostly upstream timeouts."})
            .arg(agentId);
    if (lower.contains(QLatin1String("how are you")) || lower.contains(QLatin1String("status")))
        return QStringLiteral("Running fine, thanks. Send `status` for the exact numbers.");
    return rng
        .pickStr({"Noted: \"%2\". I'll keep an eye on %1 for that.",
            "Interesting question about \"%2\" — I don't have more context on %1 than its logs and metrics.",
            "I'm a demo assistant on %1, so my answers are canned, but I heard: \"%2\"."})
        .arg(agentId, text);
}

} // namespace opsdeck::hub::demo
