// AuthFailure in words: every way a sign-in request can fail, what it means and what to do next.

#include "authclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkReply>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>

namespace opsdeck::app {

namespace {

using Kind = AuthFailure::Kind;

QString where(const QUrl &url)
{
    const QString host = url.host().contains(u':') ? u'[' + url.host() + u']' : url.host();
    return host + u':' + QString::number(url.port(url.scheme() == QLatin1StringView("https") ? 443 : 80));
}

QString certificateDetails(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    auto joined = [](const QStringList &parts) { return parts.isEmpty() ? QObject::tr("(none)") : parts.join(u", "); };
    const QString subject = joined(certificate.subjectInfo(QSslCertificate::CommonName));
    QStringList issuer = certificate.issuerInfo(QSslCertificate::CommonName);
    issuer += certificate.issuerInfo(QSslCertificate::Organization);
    const QString fingerprint =
        QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    const QString expiry = certificate.expiryDate().toUTC().toString(Qt::ISODate);
    return QObject::tr("Certificate: CN=%1\nIssued by: %2\nSHA-256: %3\nExpires: %4%5")
        .arg(subject, joined(issuer), fingerprint, expiry,
             certificate.expiryDate() < QDateTime::currentDateTimeUtc() ? QObject::tr(" (expired)") : QString());
}

AuthFailure tlsFailure(QNetworkReply *reply)
{
    const auto errors = reply->property("opsdeckSslErrors").value<QList<QSslError>>();
    QSslCertificate certificate = reply->sslConfiguration().peerCertificate();
    QStringList problems;
    for (const QSslError &error : errors) {
        problems.append(error.errorString());
        if (certificate.isNull() && !error.certificate().isNull())
            certificate = error.certificate();
    }
    if (problems.isEmpty())
        problems.append(reply->errorString());
    AuthFailure failure;
    failure.kind = Kind::Tls;
    failure.text = QObject::tr("The hub's sign-in service at %1 is not trusted: %2").arg(where(reply->url()), problems.join(u"; "));
    const QString details = certificateDetails(certificate);
    // The problems are in the text already; the details identify the certificate.
    failure.details = details;
    failure.hint = QObject::tr("Do not sign in unless you expected this. Compare the SHA-256 fingerprint with the one "
                               "your hub administrator gives you. If the hub uses a private CA, install that CA in "
                               "the system's trust store; if the certificate expired or names another host, ask the "
                               "administrator to renew it.");
    return failure;
}

AuthFailure networkFailure(QNetworkReply *reply)
{
    const QString address = where(reply->url());
    AuthFailure failure;
    failure.kind = Kind::Unreachable;
    failure.details = reply->errorString();
    switch (reply->error()) {
    case QNetworkReply::HostNotFoundError:
        failure.text = QObject::tr("Cannot find the hub host “%1”.").arg(reply->url().host());
        failure.hint = QObject::tr("Check the host name in the profile's hub URL, and your network, VPN and DNS.");
        return failure;
    case QNetworkReply::ConnectionRefusedError:
        failure.text = QObject::tr("The hub's sign-in service at %1 refused the connection.").arg(address);
        failure.hint = QObject::tr("Check that the hub runs and serves sign-in on port %1 (its WebSocket port + 1), and "
                                   "that the profile's hub URL is right.")
                           .arg(reply->url().port());
        return failure;
    case QNetworkReply::OperationCanceledError:
        if (reply->property("opsdeckCancelled").toBool()) {
            failure.kind = Kind::Cancelled;
            failure.text = QObject::tr("Sign-in cancelled.");
            return failure;
        }
        // setTransferTimeout() aborts the reply: that is a timeout, not the operator cancelling.
        Q_FALLTHROUGH();
    case QNetworkReply::TimeoutError:
        failure.kind = Kind::Timeout;
        failure.text = QObject::tr("The hub's sign-in service at %1 did not answer in time.").arg(address);
        failure.hint = QObject::tr("Check the network, VPN or firewall between you and the hub, then try again.");
        return failure;
    case QNetworkReply::SslHandshakeFailedError:
        return tlsFailure(reply);
    default:
        failure.text = QObject::tr("Could not reach the hub at %1: %2").arg(address, reply->errorString());
        failure.hint = QObject::tr("Check the network and that the hub runs, then try again.");
        return failure;
    }
}

} // namespace

AuthFailure failureFromReply(QNetworkReply *reply, const QByteArray &body)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        return networkFailure(reply);

    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const QString code = json.value(QLatin1StringView("error")).toString();
    const QString message = json.value(QLatin1StringView("message")).toString();
    AuthFailure failure;
    failure.httpStatus = status;
    if (status == 401) {
        if (code == QLatin1StringView("refresh_token_reused")) {
            failure.kind = Kind::RefreshTokenReused;
            failure.text = QObject::tr("You have been signed out everywhere: this sign-in was used twice, so the hub "
                                       "ended every session of it.");
            failure.hint = QObject::tr("Sign in again with your password. If you did not use Opsdeck elsewhere, tell "
                                       "the hub administrator: the saved sign-in may have been copied.");
        } else if (code == QLatin1StringView("invalid_refresh_token")) {
            failure.kind = Kind::InvalidRefreshToken;
            failure.text = QObject::tr("Your saved sign-in has expired or was revoked.");
            failure.hint = QObject::tr("Sign in again with your password.");
        } else {
            failure.kind = Kind::InvalidCredentials;
            failure.text = QObject::tr("Wrong user name or password.");
            failure.hint = QObject::tr("Check both (passwords are case-sensitive) and try again. After several failures "
                                       "the hub locks sign-in for a while.");
        }
        return failure;
    }
    if (status == 429) {
        int seconds = json.value(QLatin1StringView("retry_after")).toInt();
        if (seconds <= 0)
            seconds = reply->rawHeader(QByteArrayLiteral("Retry-After")).trimmed().toInt();
        failure.kind = Kind::LockedOut;
        failure.retryAfterSeconds = std::max(1, seconds > 0 ? seconds : 60);
        const QDateTime until = QDateTime::currentDateTime().addSecs(failure.retryAfterSeconds);
        failure.text = QObject::tr("Too many failed sign-ins: the hub has locked sign-in for this user or computer "
                                   "until %1.")
                           .arg(QLocale().toString(until.time(), QStringLiteral("HH:mm:ss")));
        failure.hint = QObject::tr("Wait for the countdown, then try again with the right password. If you have "
                                   "forgotten it, ask the hub administrator.");
        return failure;
    }
    // Beyond the cases above, the hub's own words may say more than a status code.
    failure.details = message;
    if (status == 400 || status == 415) {
        failure.kind = Kind::BadRequest;
        failure.text = QObject::tr("The hub did not accept the sign-in request (HTTP %1).").arg(status);
        failure.hint = QObject::tr("The console and the hub may be different versions; update one of them.");
        return failure;
    }
    if (status == 404 || status == 405) {
        failure.kind = Kind::NotFound;
        failure.text = QObject::tr("There is no sign-in service at %1.").arg(where(reply->url()));
        failure.hint = QObject::tr("Sign-in is expected on the hub's WebSocket port + 1. Check the profile's hub URL, "
                                   "and ask the administrator which --auth-listen address the hub uses.");
        return failure;
    }
    failure.kind = Kind::ServerError;
    failure.text = QObject::tr("The hub at %1 failed to answer the sign-in (HTTP %2).").arg(where(reply->url())).arg(status);
    failure.hint = QObject::tr("Try again in a moment; if it keeps failing, tell the hub administrator.");
    return failure;
}

} // namespace opsdeck::app
