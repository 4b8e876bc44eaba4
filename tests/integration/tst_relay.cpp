// The relay end to end (docs/protocol.md §15): a real opsdeck-hub process upstream, the hub the
// console embeds (in process) linked to it, and a client of the local hub. The client sees the
// remote fleet under qualified names, runs a command through both hubs with one id, and reads
// one continuous log stream — every remote entry once, in order — across a clean upstream
// restart and a kill -9; when the upstream comes back without its history it gets an explicit
// gap marker in its stream, not a silent hole.

#include "hubprocess.h"
#include "hubserver.h"
#include "testclient.h"
#include "upstreamlink.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace opsdeck::hub;
using namespace opsdeck::testing;

namespace {
const QByteArray kSecret = "relay-test-secret-0123456789abcdef";

bool isType(const QJsonObject &message, const char *type)
{
    return message.value(QLatin1StringView("type")).toString() == QLatin1StringView(type);
}

// The upstream hub's secret in a file of `dir` (for --secret-file); empty when it cannot be written.
QString writeSecret(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(QStringLiteral("secret"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(kSecret) != kSecret.size())
        return {};
    return path;
}

// A link labelled "up" to `upstream` replaying its newest `logHistory` log entries.
relay::UpstreamConfig linkTo(const QUrl &upstream, int logHistory)
{
    relay::UpstreamConfig config;
    config.label = QStringLiteral("up");
    config.url = upstream;
    config.logHistory = logHistory;
    return config;
}

// The link, started with the upstream secret as its token.
std::unique_ptr<relay::UpstreamLink> startLink(HubServer &local, const relay::UpstreamConfig &config)
{
    auto link = std::make_unique<relay::UpstreamLink>(local, config);
    link->setToken(QString::fromLatin1(kSecret));
    link->start();
    return link;
}

// A real opsdeck-hub upstream requiring the test's secret (kept in a file of its own directory).
struct Upstream
{
    QTemporaryDir dir;
    std::unique_ptr<HubProcess> process;

    bool start(const QStringList &args)
    {
        const QString secretPath = dir.isValid() ? writeSecret(dir) : QString();
        if (secretPath.isEmpty())
            return false;
        process = std::make_unique<HubProcess>(QStringList{QStringLiteral("--secret-file"), secretPath} + args);
        return process->start();
    }
    QString errorString() const { return process ? process->errorString() : QStringLiteral("no secret file"); }
    HubProcess &operator*() { return *process; }
};

const QStringList kBenchLogs200{QStringLiteral("--fleet"), QStringLiteral("none"), QStringLiteral("--bench-logs"),
                                QStringLiteral("200")};

// The newest seq of the `logs` topic of a hub process, from its `stats`; -1 when unreadable.
qint64 remoteLogHead(const HubProcess &hub)
{
    TestClient direct;
    if (!direct.open(hub.url(), kSecret))
        return -1;
    const auto stats = direct.request(QJsonObject{{"type", "query"}, {"query", "stats"}});
    return stats ? stats->value("result").toObject().value("topics").toObject().value("logs").toObject().value("head_seq").toInteger()
                 : -1;
}

// Local seqs of the log entries and gap markers of subscription `sub`, in arrival order.
QList<qint64> localSeqs(const TestClient &client, const QString &sub)
{
    QList<qint64> seqs;
    for (const QJsonObject &message : client.messages()) {
        if (message.value(QLatin1StringView("sub")).toString() != sub)
            continue;
        if (isType(message, "batch")) {
            for (const QJsonValue &entry : message.value(QLatin1StringView("logs")).toArray())
                seqs.append(entry.toObject().value(QLatin1StringView("seq")).toInteger());
        } else if (isType(message, "log") || isType(message, "gap")) {
            seqs.append(message.value(QLatin1StringView("seq")).toInteger());
        }
    }
    return seqs;
}
} // namespace

class TestRelay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void relaysFleetCommandsAndUpstreamRestarts();
    void severalHubsAtOnceKeepTheirNamesApart();
    void relayedBatchesSkipTheLocalBatchWindow();
    void olderHistoryIsPagedFromTheRemoteHub();
    void othersCommandsAreRelayedOwnOnesOnce();
    void relinkingContinuesWhereTheLinkStopped();
};

void TestRelay::relaysFleetCommandsAndUpstreamRestarts()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString secretPath = writeSecret(dir);
    QVERIFY(!secretPath.isEmpty());
    const QStringList upstreamArgs{QStringLiteral("--secret-file"), secretPath, QStringLiteral("--history-db"),
                                   dir.filePath(QStringLiteral("history.sqlite")), QStringLiteral("--seed"),
                                   QStringLiteral("11")};
    auto upstream = std::make_unique<HubProcess>(upstreamArgs);
    QVERIFY2(upstream->start(), qPrintable(upstream->errorString()));
    const quint16 upstreamPort = upstream->port();

    HubServer local(HubConfig{});
    QVERIFY2(local.listen(), qPrintable(local.errorString()));
    relay::UpstreamConfig linkConfig = linkTo(upstream->url(), 20);
    linkConfig.client.backoff.baseMs = 50;
    linkConfig.client.backoff.capMs = 400;
    const auto linkOwner = startLink(local, linkConfig);
    relay::UpstreamLink &link = *linkOwner;

    // The remote fleet appears in the local hub under qualified names.
    TestClient client;
    QVERIFY(client.open(local.url()));
    QString agentId;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const auto answer = client.request(QJsonObject{{"type", "query"}, {"query", "agents"}});
            if (!answer)
                return false;
            const QJsonArray agents = answer->value("result").toObject().value("agents").toArray();
            for (const QJsonValue &value : agents) {
                const QJsonObject agent = value.toObject();
                if (!agent.value("id").toString().endsWith(QLatin1StringView("@up")))
                    return false;
                if (agent.value("connected").toBool() && agent.value("status").toString() != QLatin1StringView("offline"))
                    agentId = agent.value("id").toString();
            }
            return agents.size() >= 3 && !agentId.isEmpty();
        }(),
        20000);

    const QJsonObject subscribed = client.subscribe(QJsonObject{{"type", "subscribe"}, {"topic", "logs"}});
    const QString sub = subscribed.value("sub").toString();
    QVERIFY(!sub.isEmpty());
    QVERIFY(client.waitForLogEntries(sub, 20, 20000));
    for (const QJsonObject &entry : client.logEntries(sub)) {
        QVERIFY2(entry.value("source").toString().endsWith(QLatin1StringView("@up")),
                 qPrintable(entry.value("source").toString()));
        QCOMPARE(entry.value("origin").toObject().value("hub").toString(), QStringLiteral("up"));
    }

    // A command to a remote agent keeps its id through both hubs and its result comes back.
    const QString commandId = QStringLiteral("relay-echo-7c1e");
    client.send(QJsonObject{{"type", "command"},
                            {"id", commandId},
                            {"instanceId", agentId},
                            {"command", "echo through the relay"}});
    const auto accepted = client.waitFor(
        [&](const QJsonObject &m) { return isType(m, "response") && m.value("id").toString() == commandId; }, 10000);
    QVERIFY(accepted);
    QVERIFY(accepted->value("ok").toBool());
    const auto result = client.waitFor(
        [&](const QJsonObject &m) { return isType(m, "command_result") && m.value("id").toString() == commandId; },
        20000);
    QVERIFY2(result, "no command_result through the relay");
    QVERIFY2(result->value("isSuccess").toBool(), qPrintable(QJsonDocument(*result).toJson()));
    QCOMPARE(result->value("textResult").toObject().value("response").toString(), QStringLiteral("through the relay"));
    QCOMPARE(result->value("instanceId").toString(), agentId);

    // The upstream restarts on the same history store — cleanly, then killed — and the link
    // resumes with (epoch, seq): the client's stream continues with every remote entry exactly
    // once. A kill loses nothing because the upstream hands out only committed entries (§4).
    const auto restartUpstream = [&](bool crash, const QStringList &args) {
        if (crash)
            upstream->kill();
        else
            QCOMPARE(upstream->terminate(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(link.client().state() != opsdeck::transport::HubClient::State::Connected, 10000);
        upstream = std::make_unique<HubProcess>(args, upstreamPort);
        QVERIFY2(upstream->start(), qPrintable(upstream->errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(link.client().state(), opsdeck::transport::HubClient::State::Connected, 20000);
    };
    const auto expectContinuousStream = [&](const QString &when) {
        const QList<QJsonObject> entries = client.logEntries(sub);
        QString problem;
        QVERIFY2(isContiguous(entries, &problem), qPrintable(when + QStringLiteral(": ") + problem));
        const QString originEpoch = entries.first().value("origin").toObject().value("epoch").toString();
        for (qsizetype i = 1; i < entries.size(); ++i) {
            const QJsonObject previous = entries[i - 1].value("origin").toObject();
            const QJsonObject current = entries[i].value("origin").toObject();
            QVERIFY2(current.value("epoch").toString() == originEpoch,
                     qPrintable(when + QStringLiteral(": the upstream epoch changed at entry %1").arg(i)));
            QVERIFY2(current.value("seq").toInteger() == previous.value("seq").toInteger() + 1,
                     qPrintable(when + QStringLiteral(": remote seq %1 follows %2 at entry %3")
                                           .arg(current.value("seq").toInteger())
                                           .arg(previous.value("seq").toInteger())
                                           .arg(i)));
        }
    };
    for (const bool crash : {false, true}) {
        const QString when = crash ? QStringLiteral("after kill -9") : QStringLiteral("after a clean restart");
        const qsizetype before = client.logEntries(sub).size();
        restartUpstream(crash, upstreamArgs);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(client.waitForLogEntries(sub, before + 30, 30000), qPrintable(when));
        expectContinuousStream(when);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(link.gapsRelayed(), 0);
    }

    // An upstream that comes back without its history (a new store: new epochs) cannot replay
    // what the link missed — the client gets an explicit gap marker in its stream, then live data.
    QStringList freshArgs = upstreamArgs;
    freshArgs[3] = dir.filePath(QStringLiteral("fresh-history.sqlite"));
    restartUpstream(true, freshArgs);
    if (QTest::currentTestFailed())
        return;
    const auto gap = client.waitFor(
        [&](const QJsonObject &m) { return isType(m, "gap") && m.value("sub").toString() == sub; }, 30000);
    QVERIFY2(gap, "no gap marker after the upstream lost its history");
    QCOMPARE(gap->value("reason").toString(), QStringLiteral("upstream_gap"));
    QCOMPARE(gap->value("hub").toString(), QStringLiteral("up"));
    QCOMPARE(gap->value("upstream").toObject().value("reason").toString(), QStringLiteral("epoch_changed"));
    const qsizetype afterGap = client.logEntries(sub).size();
    QVERIFY(client.waitForLogEntries(sub, afterGap + 10, 20000));
    const QList<qint64> seqs = localSeqs(client, sub);
    for (qsizetype i = 1; i < seqs.size(); ++i)
        QVERIFY2(seqs[i] == seqs[i - 1] + 1, qPrintable(QStringLiteral("local seq %1 after %2").arg(seqs[i]).arg(seqs[i - 1])));
    QVERIFY(link.gapsRelayed() >= 1); // logs, and metrics/flow whose epochs changed too
}

void TestRelay::severalHubsAtOnceKeepTheirNamesApart()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString secretPath = writeSecret(dir);
    QVERIFY(!secretPath.isEmpty());
    // Two hubs with the same simulated fleet: every agent name exists twice.
    HubProcess east({QStringLiteral("--secret-file"), secretPath, QStringLiteral("--seed"), QStringLiteral("3")});
    HubProcess west({QStringLiteral("--secret-file"), secretPath, QStringLiteral("--seed"), QStringLiteral("3")});
    QVERIFY2(east.start(), qPrintable(east.errorString()));
    QVERIFY2(west.start(), qPrintable(west.errorString()));

    HubServer local(HubConfig{});
    QVERIFY(local.listen());
    relay::UpstreamConfig eastConfig;
    eastConfig.label = QStringLiteral("east");
    eastConfig.url = east.url();
    relay::UpstreamConfig westConfig = eastConfig;
    westConfig.label = QStringLiteral("west");
    westConfig.url = west.url();
    relay::UpstreamLink eastLink(local, eastConfig);
    relay::UpstreamLink westLink(local, westConfig);
    for (relay::UpstreamLink *link : {&eastLink, &westLink}) {
        link->setToken(QString::fromLatin1(kSecret));
        link->start();
    }

    TestClient client;
    QVERIFY(client.open(local.url()));
    QStringList east_, west_;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            east_.clear();
            west_.clear();
            const auto answer = client.request(QJsonObject{{"type", "query"}, {"query", "agents"}});
            for (const QJsonValue &value : answer ? answer->value("result").toObject().value("agents").toArray() : QJsonArray()) {
                const QString id = value.toObject().value("id").toString();
                if (id.endsWith(QLatin1StringView("@east")))
                    east_.append(id.chopped(5));
                else if (id.endsWith(QLatin1StringView("@west")))
                    west_.append(id.chopped(5));
            }
            return !east_.isEmpty() && east_.size() == west_.size();
        }(),
        20000);
    QCOMPARE(east_, west_); // the same names, kept apart by their hub

    // A command for web-01@west runs at west only: its result names west's agent.
    const QString target = west_.first() + QStringLiteral("@west");
    client.send(QJsonObject{{"type", "command"}, {"id", "multi-1"}, {"instanceId", target}, {"command", "echo west"}});
    const auto result = client.waitFor(
        [&](const QJsonObject &m) { return isType(m, "command_result") && m.value("id").toString() == QLatin1StringView("multi-1"); },
        20000);
    QVERIFY(result);
    QCOMPARE(result->value("instanceId").toString(), target);
    QCOMPARE(result->value("textResult").toObject().value("response").toString(), QStringLiteral("west"));

    // Logs of both hubs arrive on one stream, each labelled by its hub.
    const QJsonObject subscribed = client.subscribe(QJsonObject{{"type", "subscribe"}, {"topic", "logs"}});
    const QString sub = subscribed.value("sub").toString();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QSet<QString> hubs;
            for (const QJsonObject &entry : client.logEntries(sub))
                hubs.insert(entry.value("hub").toString());
            return hubs.contains(QStringLiteral("east")) && hubs.contains(QStringLiteral("west"));
        }(),
        20000);
    eastLink.stop();
    westLink.stop();
}

// A remote batch has waited out its window at the remote hub; the embedded hub passes it on at
// once instead of holding it for a window of its own. The local window here is ten minutes (and
// 100,000 entries): a relayed entry reaching a batched subscriber at all shows it was not held.
void TestRelay::relayedBatchesSkipTheLocalBatchWindow()
{
    Upstream remote;
    QVERIFY2(remote.start({QStringLiteral("--seed"), QStringLiteral("9")}), qPrintable(remote.errorString()));
    HubProcess &upstream = *remote;

    HubConfig config;
    config.batchIntervalMs = 10 * 60 * 1000;
    config.batchMaxEntries = 100000; // nor is a batch sent early for being full
    HubServer local(config);
    QVERIFY(local.listen());
    const auto link = startLink(local, linkTo(upstream.url(), 0));

    TestClient client;
    QVERIFY(client.open(local.url()));
    const QString sub =
        client.subscribe(QJsonObject{{"type", "subscribe"}, {"topic", "logs"}, {"batch", true}, {"history", 0}})
            .value("sub")
            .toString();
    QVERIFY(!sub.isEmpty());
    QVERIFY2(client.waitForLogEntries(sub, 5, 30000), "relayed entries waited for the local batch window");
    const auto batch = client.waitFor(
        [&](const QJsonObject &m) { return isType(m, "batch") && m.value("sub").toString() == sub; }, 1000);
    QVERIFY2(batch, "the entries did not come as a batch");
    link->stop();
}

// The embedded hub has only what arrived since its link started; a `history` query naming the
// link pages through the remote hub's retention instead (§15 "History"): every remote entry once,
// in the remote hub's order, each looking like a live relayed one.
void TestRelay::olderHistoryIsPagedFromTheRemoteHub()
{
    Upstream remote;
    QVERIFY2(remote.start(kBenchLogs200), qPrintable(remote.errorString()));
    HubProcess &upstream = *remote;
    const auto remoteHead = [&] { return remoteLogHead(upstream); };
    // The remote hub has been logging for a while before the console links to it.
    QTRY_VERIFY_WITH_TIMEOUT(remoteHead() >= 400, 20000);

    HubServer local(HubConfig{});
    QVERIFY(local.listen());
    const auto link = startLink(local, linkTo(upstream.url(), 10));
    TestClient client;
    QVERIFY(client.open(local.url()));
    QTRY_VERIFY_WITH_TIMEOUT(link->entriesRelayed() >= 10, 20000);

    // Locally: only the replay and what followed.
    const auto local_ = client.request(QJsonObject{{"type", "query"}, {"query", "history"}, {"topic", "logs"}, {"limit", 1000}});
    QVERIFY(local_);
    const QJsonArray localEntries = local_->value("result").toObject().value("entries").toArray();
    QVERIFY(!localEntries.isEmpty());
    const qint64 oldestRelayed = localEntries.first().toObject().value("origin").toObject().value("seq").toInteger();
    QVERIFY2(oldestRelayed > 300, qPrintable(QString::number(oldestRelayed)));

    // From the remote hub: page back to its first entry.
    QList<qint64> seqs; // origin seqs, oldest first
    QString epoch;
    qint64 before = 0;
    for (int page = 0; page < 50; ++page) {
        QJsonObject query{{"type", "query"}, {"query", "history"}, {"hub", "up"}, {"topic", "logs"}, {"limit", 100}};
        if (before > 0)
            query.insert("before_seq", before);
        const auto answer = client.request(query, 20000);
        QVERIFY(answer);
        QVERIFY2(isType(*answer, "response"), qPrintable(QJsonDocument(*answer).toJson()));
        const QJsonObject result = answer->value("result").toObject();
        QCOMPARE(result.value("hub").toString(), QStringLiteral("up"));
        QList<qint64> pageSeqs;
        for (const QJsonValue &value : result.value("entries").toArray()) {
            const QJsonObject entry = value.toObject();
            QVERIFY2(entry.value("source").toString().endsWith(QLatin1StringView("@up")),
                     qPrintable(entry.value("source").toString()));
            QCOMPARE(entry.value("hub").toString(), QStringLiteral("up"));
            const QJsonObject origin = entry.value("origin").toObject();
            QCOMPARE(origin.value("epoch").toString(), result.value("epoch").toString());
            pageSeqs.append(origin.value("seq").toInteger());
        }
        QVERIFY(epoch.isEmpty() || epoch == result.value("epoch").toString()); // one remote epoch
        epoch = result.value("epoch").toString();
        seqs = pageSeqs + seqs;
        if (!result.value("has_more").toBool())
            break;
        QCOMPARE(pageSeqs.size(), 100);
        before = result.value("next_before_seq").toInteger();
        QCOMPARE(before, pageSeqs.first());
    }
    // Everything from the remote hub's first entry, each once and in order — and it reaches back
    // far beyond the oldest entry the embedded hub had.
    QVERIFY(seqs.size() > 300);
    QCOMPARE(seqs.first(), 1);
    for (qsizetype i = 1; i < seqs.size(); ++i)
        QCOMPARE(seqs.at(i), seqs.at(i - 1) + 1);
    QVERIFY(seqs.first() < oldestRelayed);

    // A filter naming only another hub's sources is answered empty without asking.
    const auto elsewhere = client.request(QJsonObject{{"type", "query"}, {"query", "history"}, {"hub", "up"},
                                                      {"topic", "logs"}, {"filter", QJsonObject{{"sources", QJsonArray{"web-01@other"}}}}});
    QVERIFY(elsewhere);
    QCOMPARE(elsewhere->value("result").toObject().value("entries").toArray().size(), 0);
    QCOMPARE(elsewhere->value("result").toObject().value("has_more").toBool(true), false);
    // The remote hub's refusals keep their code and say which hub.
    const auto unknownTopic = client.request(QJsonObject{{"type", "query"}, {"query", "history"}, {"hub", "up"}, {"topic", "nope"}});
    QVERIFY(unknownTopic);
    QCOMPARE(unknownTopic->value("code").toString(), QStringLiteral("UNKNOWN_TOPIC"));
    QVERIFY(unknownTopic->value("message").toString().startsWith(QLatin1StringView("up: ")));
    // No such link; then the link is down: HUB_UNAVAILABLE either way, saying which.
    const auto noLink = client.request(QJsonObject{{"type", "query"}, {"query", "history"}, {"hub", "nowhere"}, {"topic", "logs"}});
    QVERIFY(noLink);
    QCOMPARE(noLink->value("code").toString(), QStringLiteral("HUB_UNAVAILABLE"));
    QCOMPARE(noLink->value("details").toObject().value("linked").toBool(true), false);
    link->stop();
    const auto down = client.request(QJsonObject{{"type", "query"}, {"query", "history"}, {"hub", "up"}, {"topic", "logs"}});
    QVERIFY(down);
    QCOMPARE(down->value("code").toString(), QStringLiteral("HUB_UNAVAILABLE"));
    QCOMPARE(down->value("details").toObject().value("linked").toBool(false), true);
}

// What others do on the remote hub (another operator's console, a script) shows in the console's
// commands topic, under the qualified agent name; the console's own commands — published by the
// embedded hub's router — are not doubled by the remote hub's events about them.
void TestRelay::othersCommandsAreRelayedOwnOnesOnce()
{
    Upstream remote;
    QVERIFY2(remote.start({QStringLiteral("--seed"), QStringLiteral("5")}), qPrintable(remote.errorString()));
    HubProcess &upstream = *remote;
    HubServer local(HubConfig{});
    QVERIFY(local.listen());
    const auto link = startLink(local, linkTo(upstream.url(), 0));

    TestClient console;
    QVERIFY(console.open(local.url()));
    QString agentId;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const auto answer = console.request(QJsonObject{{"type", "query"}, {"query", "agents"}});
            for (const QJsonValue &value : answer ? answer->value("result").toObject().value("agents").toArray() : QJsonArray()) {
                const QJsonObject agent = value.toObject();
                if (agent.value("connected").toBool() && agent.value("kind").toString() != QLatin1StringView("flow"))
                    agentId = agent.value("id").toString();
            }
            return !agentId.isEmpty();
        }(),
        20000);
    const QString remoteName = agentId.chopped(3); // without "@up"
    const QString sub =
        console.subscribe(QJsonObject{{"type", "subscribe"}, {"topic", "commands"}, {"history", 0}}).value("sub").toString();
    QVERIFY(!sub.isEmpty());
    const auto eventsOf = [&](const QString &commandId) {
        QStringList events;
        for (const QJsonObject &m : console.messages()) {
            if (isType(m, "event") && m.value("sub").toString() == sub
                && m.value("command").toObject().value("id").toString() == commandId)
                events.append(m.value("event").toString());
        }
        return events;
    };
    const auto eventOf = [&](const QString &commandId, const QString &event) -> QJsonObject {
        for (const QJsonObject &m : console.messages()) {
            if (isType(m, "event") && m.value("sub").toString() == sub && m.value("event").toString() == event
                && m.value("command").toObject().value("id").toString() == commandId)
                return m;
        }
        return {};
    };

    // Someone else, straight at the remote hub.
    TestClient other;
    QVERIFY(other.open(upstream.url(), kSecret));
    other.send(QJsonObject{{"type", "command"}, {"id", "other-1"}, {"instanceId", remoteName}, {"command", "echo elsewhere"}});
    QTRY_VERIFY_WITH_TIMEOUT(!eventOf("other-1", "completed").isEmpty(), 20000);
    const QJsonObject completed = eventOf("other-1", "completed");
    QCOMPARE(completed.value("command").toObject().value("instanceId").toString(), agentId);
    QCOMPARE(completed.value("hub").toString(), QStringLiteral("up"));
    QCOMPARE(completed.value("origin").toObject().value("hub").toString(), QStringLiteral("up"));

    // The console's own command: its lifecycle once.
    console.send(QJsonObject{{"type", "command"}, {"id", "own-1"}, {"instanceId", agentId}, {"command", "echo mine"}});
    QVERIFY(console.waitFor(
        [](const QJsonObject &m) { return isType(m, "command_result") && m.value("id").toString() == QLatin1StringView("own-1"); },
        20000));
    // The remote hub publishes its events about own-1 before those of a later command, and the
    // link relays in order: once other-2 has completed here, any remote own-1 event would have too.
    other.send(QJsonObject{{"type", "command"}, {"id", "other-2"}, {"instanceId", remoteName}, {"command", "echo later"}});
    QTRY_VERIFY_WITH_TIMEOUT(!eventOf("other-2", "completed").isEmpty(), 20000);
    const QStringList own = eventsOf("own-1");
    QVERIFY2(own.count("completed") == 1 && own.count("accepted") == 1, qPrintable(own.join(u',')));
    QCOMPARE(eventOf("own-1", "completed").value("command").toObject().value("instanceId").toString(), agentId);
    QVERIFY(!eventOf("own-1", "completed").contains("origin")); // the embedded hub's own event
}

// The console switches to another profile and back (or signs in again): the embedded hub links
// to the same remote hub anew. Its topics continue where the old link stopped — what happened
// meanwhile comes once, nothing already relayed comes twice (a fresh replay of the newest N would
// repeat them, and lose what is older than N).
void TestRelay::relinkingContinuesWhereTheLinkStopped()
{
    Upstream remote;
    QVERIFY2(remote.start(kBenchLogs200), qPrintable(remote.errorString()));
    HubProcess &upstream = *remote;
    HubServer local(HubConfig{});
    QVERIFY(local.listen());
    TestClient client;
    QVERIFY(client.open(local.url()));
    const QString sub =
        client.subscribe(QJsonObject{{"type", "subscribe"}, {"topic", "logs"}, {"history", 0}}).value("sub").toString();
    QVERIFY(!sub.isEmpty());
    const auto originSeqs = [&] {
        QList<qint64> seqs;
        for (const QJsonObject &entry : client.logEntries(sub))
            seqs.append(entry.value("origin").toObject().value("seq").toInteger());
        return seqs;
    };

    auto link = startLink(local, linkTo(upstream.url(), 20));
    QTRY_VERIFY_WITH_TIMEOUT(originSeqs().size() >= 100, 20000);
    link->stop();
    const relay::RelayPositions stoppedAt = link->config().resumeFrom;
    QVERIFY(stoppedAt.count(opsdeck::protocol::Topic::Logs) == 1);
    const qint64 lastRelayed = stoppedAt.at(opsdeck::protocol::Topic::Logs).seq;
    link.reset();
    // Unlinked for a while: the remote hub logs far more than the 20 a replay would bring.
    const qsizetype before = originSeqs().size();
    QTRY_VERIFY_WITH_TIMEOUT(remoteLogHead(upstream) >= lastRelayed + 100, 20000);
    QCOMPARE(originSeqs().size(), before);

    relay::UpstreamConfig again = linkTo(upstream.url(), 20);
    again.resumeFrom = stoppedAt;
    link = startLink(local, again);
    QTRY_VERIFY_WITH_TIMEOUT(originSeqs().size() >= before + 300, 20000);
    const QList<qint64> seqs = originSeqs();
    QCOMPARE(seqs.at(before - 1), lastRelayed);
    for (qsizetype i = 1; i < seqs.size(); ++i)
        QVERIFY2(seqs.at(i) == seqs.at(i - 1) + 1,
                 qPrintable(QStringLiteral("origin seq %1 follows %2 at %3").arg(seqs.at(i)).arg(seqs.at(i - 1)).arg(i)));
    QCOMPARE(link->gapsRelayed(), 0);
    link->stop();
}

QTEST_GUILESS_MAIN(TestRelay)
#include "tst_relay.moc"
