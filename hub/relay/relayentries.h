#pragma once

// How entries and agents of a remote hub look once relayed by the embedded hub (docs/protocol.md
// §15). Pure functions, so the mapping is tested without any connection.
//
// Every name that identifies something on the remote hub — an agent id, a log or metrics
// source — is qualified with the link's label (`web-01@prod-eu`), so several remote hubs can be
// linked at once without two `web-01`s colliding, and a command to `web-01@prod-eu` can only go
// to that hub. Each relayed entry also says where it came from: `hub` (the label) and `origin`
// (the remote epoch and seq), which is what makes "nothing lost, nothing twice" checkable.

#include "agentregistry.h"
#include "message.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace opsdeck::hub::relay {

// "web-01" + "prod" → "web-01@prod".
QString qualify(const QString &name, const QString &label);
// "web-01@prod" → "web-01" for label "prod"; nullopt when the name is not of that link.
std::optional<QString> unqualify(const QString &qualified, const QString &label);

// A delivered entry of a remote topic as the local topic republishes it: position fields
// (topic, epoch, seq, sub) replaced by `origin`, `source`/`instanceId` qualified, `hub` added.
QJsonObject relayedEntry(const QJsonObject &upstream, const QString &label);

// A remote `commands` event (§4.3) as the local topic republishes it: relayedEntry, and the
// agent inside `command` qualified too (`command.instanceId`: web-01@prod).
QJsonObject relayedCommandEvent(const QJsonObject &upstream, const QString &label);

// A `history` query naming this link (§15 "History") as the remote hub is asked it: no `hub`, and
// the filter's sources unqualified. Nothing when the filter names sources but none of this link:
// the remote hub holds none of them, so the answer is an empty page without asking.
std::optional<QJsonObject> upstreamHistoryQuery(const QJsonObject &query, const QString &label);
// The remote hub's answer as the console gets it: each entry as relayedEntry makes it (origin
// taking the page's epoch), plus `hub`. `epoch` and `next_before_seq` stay the remote hub's, so
// the next page is asked of it again.
QJsonObject relayedHistoryPage(const QJsonObject &result, const QString &label);

// A refusal of a request the link made for a local client, in the words the client gets: the
// remote hub's code kept — the link's own (TIMEOUT, CLOSED: no answer came) become
// HUB_UNAVAILABLE — the message prefixed with the label ("prod-eu: …"), `details.hub` added.
protocol::ProtocolError remoteRefusal(const QString &label, const QString &code, const QString &message,
                                      QJsonObject details);

// A remote agent as the local registry keeps it (from an `agents` query result or an agents
// event's `agent` object).
struct RemoteAgent
{
    AgentInfo info; // id qualified
    QString status;
    QString task;
    bool connected = true;
    QueueMetrics queue;
};
std::optional<RemoteAgent> remoteAgentFromJson(const QJsonObject &agent, const QString &label);

// A remote command_result (§6) as the local command router takes it.
CommandResult commandResultFromJson(const QJsonObject &message);
// A remote refusal of a command (an `error`, or the link failing) as a failed result.
CommandResult commandFailure(const QString &commandSyncId, const QString &command, const QString &code,
                             const QString &message);

} // namespace opsdeck::hub::relay
