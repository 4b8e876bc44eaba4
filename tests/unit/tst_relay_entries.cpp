// How a remote hub's entries, agents and command results look once relayed (hub/relay,
// docs/protocol.md §15): names qualified by the link's label, positions replaced by `origin`.

#include "relayentries.h"

#include <QJsonArray>
#include <QTest>

using namespace opsdeck::hub;
using namespace opsdeck::hub::relay;

class TestRelayEntries : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void qualifiedNamesRoundTripPerLabel()
    {
        QCOMPARE(qualify(QStringLiteral("web-01"), QStringLiteral("prod-eu")), QStringLiteral("web-01@prod-eu"));
        QCOMPARE(unqualify(QStringLiteral("web-01@prod-eu"), QStringLiteral("prod-eu")), QStringLiteral("web-01"));
        // An agent whose own name has an @ keeps it: only the last one separates the label.
        QCOMPARE(unqualify(QStringLiteral("ops@web@prod"), QStringLiteral("prod")), QStringLiteral("ops@web"));
        QCOMPARE(unqualify(QStringLiteral("web-01@prod-us"), QStringLiteral("prod-eu")), std::nullopt);
        QCOMPARE(unqualify(QStringLiteral("web-01"), QStringLiteral("prod-eu")), std::nullopt);
        QCOMPARE(unqualify(QStringLiteral("@prod"), QStringLiteral("prod")), std::nullopt);
    }

    void relayedEntryKeepsContentAndNamesItsOrigin()
    {
        const QJsonObject upstream{{"type", "log"},   {"topic", "logs"},     {"epoch", "e-1"},
                                   {"seq", 4711},     {"sub", "s3"},         {"source", "web-01"},
                                   {"level", "warn"}, {"stream", "stderr"},  {"message", "disk 91% full"},
                                   {"host", "edge-1"}, {"timestamp", "2026-12-01T10:00:00.000Z"}};
        const QJsonObject entry = relayedEntry(upstream, QStringLiteral("prod"));
        QCOMPARE(entry.value("source").toString(), QStringLiteral("web-01@prod"));
        QCOMPARE(entry.value("hub").toString(), QStringLiteral("prod"));
        QCOMPARE(entry.value("message").toString(), QStringLiteral("disk 91% full"));
        QCOMPARE(entry.value("host").toString(), QStringLiteral("edge-1"));
        QCOMPARE(entry.value("timestamp").toString(), QStringLiteral("2026-12-01T10:00:00.000Z"));
        const QJsonObject origin = entry.value("origin").toObject();
        QCOMPARE(origin.value("hub").toString(), QStringLiteral("prod"));
        QCOMPARE(origin.value("epoch").toString(), QStringLiteral("e-1"));
        QCOMPARE(origin.value("seq").toInteger(), 4711);
        // The local topic gives its own position; the remote subscription id means nothing here.
        for (const char *field : {"topic", "epoch", "seq", "sub"})
            QVERIFY2(!entry.contains(field), field);
    }

    void historyQueryAsksTheRemoteHubForItsOwnNames()
    {
        const QJsonObject query{{"type", "query"}, {"id", "q7"}, {"query", "history"}, {"hub", "prod"},
                                {"topic", "metrics"}, {"before_seq", 900}, {"limit", 500},
                                {"filter", QJsonObject{{"sources", QJsonArray{"web-01@prod", "db@dev", "ops@web@prod"}},
                                                       {"levels", QJsonArray{"error"}}}}};
        const auto upstream = upstreamHistoryQuery(query, QStringLiteral("prod"));
        QVERIFY(upstream);
        QCOMPARE(*upstream, (QJsonObject{{"type", "query"}, {"query", "history"}, {"topic", "metrics"},
                                         {"before_seq", 900}, {"limit", 500},
                                         {"filter", QJsonObject{{"sources", QJsonArray{"web-01", "ops@web"}},
                                                                {"levels", QJsonArray{"error"}}}}}));
        // Only another link's sources: the remote hub has none of them, so it is not asked.
        QCOMPARE(upstreamHistoryQuery(QJsonObject{{"query", "history"}, {"hub", "prod"}, {"topic", "logs"},
                                                  {"filter", QJsonObject{{"sources", QJsonArray{"db@dev"}}}}},
                                      QStringLiteral("prod")),
                 std::nullopt);
        // No source filter: everything of the topic there.
        QCOMPARE(upstreamHistoryQuery(QJsonObject{{"query", "history"}, {"hub", "prod"}, {"topic", "logs"}},
                                      QStringLiteral("prod")),
                 (QJsonObject{{"query", "history"}, {"topic", "logs"}}));
    }

    void historyPageEntriesLookLikeRelayedOnes()
    {
        const QJsonObject remote{{"topic", "metrics"}, {"epoch", "e-9"}, {"has_more", true}, {"next_before_seq", 41},
                                 {"entries", QJsonArray{QJsonObject{{"type", "metrics"}, {"seq", 41}, {"source", "web-01"},
                                                                    {"cpu", 12.5}},
                                                        QJsonObject{{"type", "metrics"}, {"seq", 44}, {"source", "web-01"},
                                                                    {"cpu", 13.0}}}}};
        const QJsonObject page = relayedHistoryPage(remote, QStringLiteral("prod"));
        QCOMPARE(page.value("hub").toString(), QStringLiteral("prod"));
        // The cursor stays the remote hub's: the next page is asked of it again.
        QCOMPARE(page.value("epoch").toString(), QStringLiteral("e-9"));
        QCOMPARE(page.value("next_before_seq").toInteger(), 41);
        QCOMPARE(page.value("has_more").toBool(), true);
        const QJsonArray entries = page.value("entries").toArray();
        QCOMPARE(entries.size(), 2);
        // The same identity a live relayed entry of that position has: origin {hub, epoch, seq}.
        const QJsonObject second = entries.at(1).toObject();
        QCOMPARE(second.value("origin").toObject(),
                 (QJsonObject{{"hub", "prod"}, {"epoch", "e-9"}, {"seq", 44}}));
        QCOMPARE(second.value("source").toString(), QStringLiteral("web-01@prod"));
        QCOMPARE(second.value("cpu").toDouble(), 13.0);
        QVERIFY(!second.contains("seq"));
    }

    void remoteCommandEventsNameTheQualifiedAgentInside()
    {
        const QJsonObject entry = relayedCommandEvent(
            QJsonObject{{"type", "event"}, {"topic", "commands"}, {"epoch", "e-2"}, {"seq", 12}, {"event", "completed"},
                        {"command", QJsonObject{{"id", "c-1"}, {"instanceId", "web-01"}, {"command", "echo hi"},
                                                {"isSuccess", true}}}},
            QStringLiteral("prod"));
        const QJsonObject command = entry.value("command").toObject();
        QCOMPARE(command.value("instanceId").toString(), QStringLiteral("web-01@prod"));
        QCOMPARE(command.value("id").toString(), QStringLiteral("c-1")); // ids are not names: kept
        QCOMPARE(command.value("isSuccess").toBool(), true);
        QCOMPARE(entry.value("origin").toObject(), (QJsonObject{{"hub", "prod"}, {"epoch", "e-2"}, {"seq", 12}}));
        QCOMPARE(entry.value("hub").toString(), QStringLiteral("prod"));
    }

    void relayedCommandEventsNameTheQualifiedAgent()
    {
        const QJsonObject entry = relayedEntry(QJsonObject{{"type", "event"}, {"instanceId", "db-02"}},
                                               QStringLiteral("dev"));
        QCOMPARE(entry.value("instanceId").toString(), QStringLiteral("db-02@dev"));
        QVERIFY(!entry.contains("source")); // nothing invented
    }

    void remoteAgentFromQueryResult()
    {
        const QJsonObject agent{{"id", "web-01"},
                                {"kind", "web"},
                                {"host", "edge-1"},
                                {"version", "2.1"},
                                {"capabilities", QJsonArray{"logs", "commands"}},
                                {"status", "busy"},
                                {"task", "deploy"},
                                {"connected", true},
                                {"queue", QJsonObject{{"active", 1}, {"active_ids", QJsonArray{"c-1"}},
                                                      {"processed", 9}, {"succeeded", 7}, {"failed", 2}}}};
        const auto remote = remoteAgentFromJson(agent, QStringLiteral("prod"));
        QVERIFY(remote);
        QCOMPARE(remote->info.id, QStringLiteral("web-01@prod"));
        QCOMPARE(remote->info.host, QStringLiteral("edge-1"));
        QCOMPARE(remote->info.capabilities, (QStringList{"logs", "commands"}));
        QCOMPARE(remote->status, QStringLiteral("busy"));
        QCOMPARE(remote->task, QStringLiteral("deploy"));
        QVERIFY(remote->connected);
        QCOMPARE(remote->queue.activeIds, QStringList{"c-1"});
        QCOMPARE(remote->queue.processed, 9);
        QCOMPARE(remote->queue.succeeded, 7);
        QCOMPARE(remote->queue.failed, 2);

        QVERIFY(!remoteAgentFromJson(QJsonObject{{"status", "idle"}}, QStringLiteral("prod")));
        const auto offline = remoteAgentFromJson(QJsonObject{{"id", "x"}, {"connected", false}}, QStringLiteral("p"));
        QVERIFY(offline && !offline->connected);
    }

    void commandResultsKeepSuccessTextAndErrors()
    {
        const CommandResult ok = commandResultFromJson(QJsonObject{{"type", "command_result"},
                                                                   {"commandSyncId", "sync-1"},
                                                                   {"isSuccess", true},
                                                                   {"commandName", "echo"},
                                                                   {"commandType", "text"},
                                                                   {"textResult", QJsonObject{{"response", "hi"}}}});
        QVERIFY(ok.isSuccess);
        QCOMPARE(ok.commandSyncId, QStringLiteral("sync-1"));
        QCOMPARE(ok.text, QStringLiteral("hi"));
        QVERIFY(!ok.errorCode);

        const CommandResult timedOut = commandResultFromJson(
            QJsonObject{{"isSuccess", false},
                        {"error", QJsonObject{{"code", "COMMAND_TIMEOUT"}, {"message", "took longer than 5 s"}}}});
        QCOMPARE(timedOut.errorCode, opsdeck::protocol::ErrorCode::CommandTimeout);
        QCOMPARE(timedOut.errorMessage, QStringLiteral("took longer than 5 s"));

        const CommandResult graph = commandResultFromJson(
            QJsonObject{{"isSuccess", true}, {"commandType", "graph"},
                        {"graphResult", QJsonObject{{"unit", "%"}}}});
        QCOMPARE(graph.commandType, QStringLiteral("graph"));
        QCOMPARE(graph.graph.value("unit").toString(), QStringLiteral("%"));
    }

    void refusalsBecomeFailedResultsThatSayWhy()
    {
        const CommandResult forbidden = commandFailure(QStringLiteral("s1"), QStringLiteral("restart nginx"),
                                                       QStringLiteral("FORBIDDEN"), QStringLiteral("viewers may not"));
        QVERIFY(!forbidden.isSuccess);
        QCOMPARE(forbidden.commandName, QStringLiteral("restart"));
        QCOMPARE(forbidden.errorCode, opsdeck::protocol::ErrorCode::CommandFailed);
        QCOMPARE(forbidden.errorMessage, QStringLiteral("FORBIDDEN: viewers may not"));
        const CommandResult unavailable = commandFailure(QStringLiteral("s2"), QStringLiteral("status"),
                                                         QStringLiteral("AGENT_UNAVAILABLE"), QStringLiteral("offline"));
        QCOMPARE(unavailable.errorCode, opsdeck::protocol::ErrorCode::AgentUnavailable);
        QCOMPARE(unavailable.errorMessage, QStringLiteral("offline"));
    }
};

QTEST_GUILESS_MAIN(TestRelayEntries)
#include "tst_relay_entries.moc"
