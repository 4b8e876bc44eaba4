#pragma once

// Reading inbound frames and building outbound messages of opsdeck.v1.

#include "protocol.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace opsdeck::protocol {

struct ProtocolError
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
    QJsonObject details;
};

struct InboundMessage
{
    QString type; // "control" for seed 001's bare {action: …} messages
    QString id;   // empty when the message carried none
    QJsonObject body;
};

// The result of reading one text frame: either a message, or the error to answer with
// (`id` is filled whenever the frame was readable enough to have one).
struct ParsedFrame
{
    std::optional<InboundMessage> message;
    std::optional<ProtocolError> error;
    QString id;
};

ParsedFrame parseFrame(const QByteArray &utf8);

// Reads typed fields from a message body; the first problem is kept as a BAD_MESSAGE error
// naming the field, so handlers read everything and check once.
class FieldReader
{
public:
    explicit FieldReader(const QJsonObject &object);

    QString requiredString(QLatin1StringView field, qsizetype maxLength = 4096);
    std::optional<QString> optionalString(QLatin1StringView field, qsizetype maxLength = 4096);
    std::optional<qint64> optionalInteger(QLatin1StringView field, qint64 min, qint64 max);
    std::optional<bool> optionalBool(QLatin1StringView field);
    std::optional<QJsonObject> optionalObject(QLatin1StringView field);
    QJsonObject requiredObject(QLatin1StringView field);

    void fail(QLatin1StringView field, const QString &expected);
    bool ok() const { return !m_error.has_value(); }
    const std::optional<ProtocolError> &error() const { return m_error; }

private:
    const QJsonObject &m_object;
    std::optional<ProtocolError> m_error;
};

ProtocolError badMessage(const QString &field, const QString &expected);
// §7: the hub (`hubWide`) or the client's IP is at its connection cap of `limit`.
ProtocolError connectionLimit(int limit, bool hubWide);
// §15: a linked hub cannot be reached — `linked`: the link exists but is down (or the remote hub
// did not answer); otherwise there is no link by that label.
ProtocolError hubUnavailable(const QString &hub, bool linked, const QString &message);
// No link called `hub` (the console has not signed in to it).
ProtocolError hubNotLinked(const QString &hub);

QJsonObject makeResponse(const QString &id, const QJsonObject &result);
QJsonObject makeError(const ProtocolError &error, const QString &id = {});
// Compact UTF-8 JSON of one message; sets `ts` when the message has none.
QByteArray toFrame(QJsonObject message);

} // namespace opsdeck::protocol
