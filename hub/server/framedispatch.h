#pragma once

// The steps every inbound text frame of the hub goes through, whichever endpoint it arrived on
// (clients: HubServer, agents: AgentEndpoint): counted in HubStats by type (size and handling
// time, for /metrics), parsed, admitted by the endpoint's rate check, refused in words when it
// does not parse, and handled — with any exception costing that one connection (INTERNAL, then
// close 1011), never the hub.

#include "hubsession.h"
#include "hubstats.h"
#include "message.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QScopeGuard>

#include <exception>
#include <type_traits>

namespace opsdeck::hub {

// `labelOf(message)`: the bounded type label for the stats (known types only); `invalidLabel`
// for a frame that does not parse. `admit(frame)`: false when the rate check refused it (it has
// answered). `handle(message)`: the endpoint's dispatch.
template <typename LabelOf, typename Admit, typename Handle>
void dispatchFrame(HubSession &session, HubStats &stats, const QString &text, const QString &invalidLabel,
                   LabelOf labelOf, Admit admit, Handle handle, const QLoggingCategory &category)
{
    static_assert(std::is_same_v<std::invoke_result_t<LabelOf, const protocol::InboundMessage &>, QString>,
                  "labelOf must return QString (write -> QString): a QStringBuilder would outlive its operands");
    ++stats.messagesIn;
    const QByteArray utf8 = text.toUtf8();
    QElapsedTimer handling;
    handling.start();
    QString typeLabel = invalidLabel;
    const auto account =
        qScopeGuard([&] { stats.countIn(typeLabel, utf8.size(), double(handling.nsecsElapsed()) / 1e9); });
    const auto fail = [&](const char *what) {
        qCCritical(category) << "handling a message from" << session.clientId() << "failed:" << what;
        session.sendError(protocol::ProtocolError{protocol::ErrorCode::Internal,
                                                  QStringLiteral("Internal error handling the message")});
        session.close(protocol::CloseCode::Internal, QStringLiteral("internal error"));
    };
    try {
        const protocol::ParsedFrame frame = protocol::parseFrame(utf8);
        if (frame.message)
            typeLabel = labelOf(*frame.message);
        if (!admit(frame))
            return;
        if (frame.error) {
            session.sendError(*frame.error, frame.id);
            return;
        }
        handle(*frame.message);
    } catch (const std::exception &e) {
        fail(e.what());
    } catch (...) {
        fail("an unknown exception");
    }
}

} // namespace opsdeck::hub
