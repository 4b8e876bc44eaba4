#pragma once

// Small helpers shared by the real-process hub tests.

#include "hubprocess.h"
#include "testclient.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonObject>

namespace opsdeck::testing {

inline QJsonObject msg(std::initializer_list<QPair<QString, QJsonValue>> fields)
{
    QJsonObject object;
    for (const auto &[key, value] : fields)
        object.insert(key, value);
    return object;
}

inline QString str(const std::optional<QJsonObject> &message, const QString &key)
{
    return message ? message->value(key).toString() : QString();
}

inline QJsonObject resultOf(const std::optional<QJsonObject> &message)
{
    return message ? message->value(QLatin1StringView("result")).toObject() : QJsonObject();
}

// The hub's current head seq of `topic`, asked through a `stats` query on `client`.
inline qint64 headSeq(TestClient &client, const QString &topic = QStringLiteral("logs"))
{
    const auto stats = client.request(msg({{QStringLiteral("type"), QStringLiteral("query")},
                                           {QStringLiteral("query"), QStringLiteral("stats")}}));
    return resultOf(stats).value(QLatin1StringView("topics")).toObject().value(topic).toObject()
        .value(QLatin1StringView("head_seq")).toInteger();
}

// Waits until the hub has published log entry `seq`: a watcher connection subscribes to the logs
// topic and waits for that entry to arrive (event-driven; polling would trip the rate limit).
inline bool waitForLogSeq(const QUrl &url, qint64 seq, int timeoutMs = 15000)
{
    TestClient watcher;
    if (!watcher.open(url))
        return false;
    const QString sub = watcher.subscribe(msg({{QStringLiteral("topic"), QStringLiteral("logs")},
                                                {QStringLiteral("history"), 1}}))
                            .value(QLatin1StringView("sub")).toString();
    const QDeadlineTimer deadline(timeoutMs);
    for (qsizetype seen = 1;; ++seen) {
        if (!watcher.waitForLogEntries(sub, seen, int(std::max<qint64>(1, deadline.remainingTime()))))
            return false;
        if (watcher.logEntries(sub).last().value(QLatin1StringView("seq")).toInteger() >= seq)
            return true;
        seen = watcher.logEntries(sub).size();
    }
}

} // namespace opsdeck::testing
