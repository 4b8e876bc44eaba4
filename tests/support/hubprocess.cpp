#include "hubprocess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>

namespace opsdeck::testing {

HubProcess::HubProcess(QStringList args, quint16 port)
    : m_args(std::move(args))
    , m_port(port)
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
}

HubProcess::~HubProcess()
{
    if (isRunning())
        terminate();
}

QString HubProcess::binaryPath()
{
    return QStringLiteral(OPSDECK_HUB_BINARY);
}

bool HubProcess::start(int timeoutMs)
{
    QStringList args{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_port)};
    if (!m_mode.isEmpty())
        args = QStringList{QStringLiteral("--mode"), m_mode} + args;
    // Later arguments win, so a test may override the mode.
    args += m_args;
    m_stderr.clear();
    m_process.start(binaryPath(), args);
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("could not start %1: %2").arg(binaryPath(), m_process.errorString());
        return false;
    }
    const QDeadlineTimer deadline(timeoutMs);
    QByteArray line;
    while (!m_process.canReadLine()) {
        if (deadline.hasExpired() || m_process.state() != QProcess::Running) {
            m_error = QStringLiteral("hub did not print its URL; stderr: %1")
                          .arg(QString::fromUtf8(standardError()));
            return false;
        }
        m_process.waitForReadyRead(100);
    }
    line = m_process.readLine().trimmed();
    static const QRegularExpression pattern(QStringLiteral("^listening on (wss?://127\\.0\\.0\\.1:(\\d+)/\\S+)$"));
    const auto match = pattern.match(QString::fromUtf8(line));
    if (!match.hasMatch()) {
        m_error = QStringLiteral("unexpected first line: %1").arg(QString::fromUtf8(line));
        return false;
    }
    m_url = QUrl(match.captured(1));
    m_port = quint16(match.captured(2).toUInt());
    return true;
}

int HubProcess::terminate(int timeoutMs)
{
    if (!isRunning())
        return m_process.exitCode();
    m_process.terminate();
    if (!m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(timeoutMs);
        return -1;
    }
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

void HubProcess::kill()
{
    if (!isRunning())
        return;
    m_process.kill();
    m_process.waitForFinished(10000);
}

int HubProcess::waitForExit(int timeoutMs)
{
    if (isRunning() && !m_process.waitForFinished(timeoutMs))
        return -1;
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

bool HubProcess::isRunning() const
{
    return m_process.state() != QProcess::NotRunning;
}

QByteArray HubProcess::standardError()
{
    m_stderr += m_process.readAllStandardError();
    return m_stderr;
}

} // namespace opsdeck::testing
