#include "terminalstream.h"

#include <QDeadlineTimer>
#include <QSignalSpy>

#include <algorithm>

namespace opsdeck::testing {

namespace {
QString str(const QJsonObject &m, const char *field)
{
    return m.value(QLatin1StringView(field)).toString();
}
} // namespace

void TerminalStream::pump()
{
    const QList<QJsonObject> &all = client.messages();
    for (; scanned < all.size(); ++scanned) {
        const QJsonObject &m = all.at(scanned);
        if (str(m, "terminal") != terminal)
            continue;
        if (str(m, "type") == QLatin1StringView("ready"))
            ready = true;
        if (str(m, "type") == QLatin1StringView("exit"))
            exits.append(m);
        if (str(m, "type") != QLatin1StringView("output"))
            continue;
        const qint64 seq = m.value(QLatin1StringView("seq")).toInteger(-1);
        QByteArray chunk = m.contains(QLatin1StringView("data_b64"))
                               ? QByteArray::fromBase64(str(m, "data_b64").toLatin1())
                               : str(m, "data").toUtf8();
        unacked += chunk.size();
        maxUnacked = std::max(maxUnacked, unacked);
        if (window > 0 && unacked >= window / 4) {
            client.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("ack")},
                                    {QStringLiteral("terminal"), terminal},
                                    {QStringLiteral("bytes"), unacked}});
            unacked = 0;
        }
        if (skipReplayed && nextSeq >= 0 && seq < nextSeq) {
            const qint64 known = nextSeq - seq;
            if (known >= chunk.size())
                continue;
            chunk = chunk.mid(known);
        } else if (nextSeq >= 0 && seq != nextSeq && problem.isEmpty()) {
            problem = QStringLiteral("seq %1 where %2 was due").arg(seq).arg(nextSeq);
        }
        nextSeq = std::max(nextSeq, seq) + chunk.size();
        bytes += chunk;
    }
}

bool TerminalStream::waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QSignalSpy arrivals(&client.socket(), &QWebSocket::textMessageReceived);
    for (;;) {
        pump();
        if (done())
            return true;
        if (deadline.hasExpired())
            return false;
        arrivals.wait(int(std::clamp<qint64>(deadline.remainingTime(), 1, 1000)));
    }
}

bool TerminalStream::waitForText(const QByteArray &text, int timeoutMs)
{
    return waitUntil([&] { return bytes.contains(text); }, timeoutMs);
}

} // namespace opsdeck::testing
