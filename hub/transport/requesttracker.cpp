#include "requesttracker.h"

namespace opsdeck::transport {

HubReply::HubReply(const QString &id, const QString &type, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_type(type)
{
}

void HubReply::markSent()
{
    ++m_sendCount;
    Q_EMIT sent();
}

void HubReply::acknowledge(const QJsonObject &response)
{
    if (m_finished)
        return;
    m_acknowledged = true;
    m_result = response.value(QLatin1StringView("result")).toObject();
    Q_EMIT acknowledged(m_result);
}

void HubReply::finishOk(const QJsonObject &message)
{
    if (m_finished)
        return;
    m_finished = true;
    m_final = message;
    if (message.value(QLatin1StringView("type")).toString() == QLatin1StringView("response"))
        m_result = message.value(QLatin1StringView("result")).toObject();
    // A command_result that reports failure is still the answer, but the caller wants it as
    // an error code (COMMAND_FAILED, COMMAND_TIMEOUT, CANCELLED, AGENT_UNAVAILABLE).
    if (message.value(QLatin1StringView("isSuccess")) == QJsonValue(false)) {
        const QJsonObject error = message.value(QLatin1StringView("error")).toObject();
        m_errorCode = error.value(QLatin1StringView("code")).toString(QStringLiteral("COMMAND_FAILED"));
        m_errorMessage = error.value(QLatin1StringView("message")).toString();
        Q_EMIT failed(m_errorCode, m_errorMessage);
    }
    Q_EMIT finished();
    deleteLater();
}

void HubReply::finishError(const QString &code, const QString &message, const QJsonObject &details,
                           const QJsonObject &finalMessage)
{
    if (m_finished)
        return;
    m_finished = true;
    m_errorCode = code;
    m_errorMessage = message;
    m_errorDetails = details;
    m_final = finalMessage;
    Q_EMIT failed(code, message);
    Q_EMIT finished();
    deleteLater();
}

PendingRequest &RequestTracker::add(PendingRequest request)
{
    const quint64 order = m_next++;
    m_orderById.insert(request.id, order);
    return m_byOrder.emplace(order, std::move(request)).first->second;
}

PendingRequest *RequestTracker::find(const QString &id)
{
    const auto it = m_orderById.constFind(id);
    if (it == m_orderById.constEnd())
        return nullptr;
    return &m_byOrder.at(*it);
}

std::optional<PendingRequest> RequestTracker::take(const QString &id)
{
    const auto it = m_orderById.find(id);
    if (it == m_orderById.end())
        return std::nullopt;
    auto node = m_byOrder.extract(*it);
    m_orderById.erase(it);
    return std::move(node.mapped());
}

QList<PendingRequest *> RequestTracker::inOrder()
{
    QList<PendingRequest *> out;
    out.reserve(count());
    for (auto &[order, request] : m_byOrder)
        out.append(&request);
    return out;
}

QList<PendingRequest> RequestTracker::takeTimedOut(qint64 nowMs)
{
    QList<PendingRequest> out;
    for (auto it = m_byOrder.begin(); it != m_byOrder.end();) {
        if (it->second.deadlineMs > 0 && it->second.deadlineMs <= nowMs) {
            m_orderById.remove(it->second.id);
            out.append(std::move(it->second));
            it = m_byOrder.erase(it);
        } else {
            ++it;
        }
    }
    return out;
}

QList<PendingRequest> RequestTracker::takeAll()
{
    QList<PendingRequest> out;
    for (auto &[order, request] : m_byOrder)
        out.append(std::move(request));
    m_byOrder.clear();
    m_orderById.clear();
    return out;
}

qint64 RequestTracker::nextDeadlineMs() const
{
    qint64 next = 0;
    for (const auto &[order, request] : m_byOrder) {
        if (request.deadlineMs > 0 && (next == 0 || request.deadlineMs < next))
            next = request.deadlineMs;
    }
    return next;
}

} // namespace opsdeck::transport
