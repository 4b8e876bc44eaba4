#include "childserver.h"

#include "procstats.h"

#include <QDir>
#include <QRegularExpression>

namespace opsdeck::bench {

ChildServer::ChildServer(const QString &name, const QString &program, const QStringList &args, const QString &workDir)
{
    m_process.setProgram(program);
    m_process.setArguments(args);
    if (!workDir.isEmpty())
        m_process.setWorkingDirectory(workDir);
    // The child's log goes to a file: a pipe nobody reads would eventually block it.
    m_stderrPath = QDir::temp().filePath(QStringLiteral("opsdeck-bench-%1.stderr").arg(name));
    m_process.setStandardErrorFile(m_stderrPath);
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] {
        if (m_url.isValid())
            m_process.readAllStandardOutput(); // only the first line matters
    });
}

ChildServer::~ChildServer()
{
    stop();
}

bool ChildServer::start(int timeoutMs)
{
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        m_error = m_process.errorString();
        return false;
    }
    const bool lineSeen = waitUntil(
        [this] { return m_process.canReadLine() || m_process.state() != QProcess::Running; }, timeoutMs);
    if (!lineSeen || !m_process.canReadLine()) {
        m_error = QStringLiteral("no 'listening on' line; see %1").arg(m_stderrPath);
        return false;
    }
    const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
    static const QRegularExpression pattern(QStringLiteral("^listening on (ws://\\S+)$"));
    const auto match = pattern.match(line);
    if (!match.hasMatch()) {
        m_error = QStringLiteral("unexpected first line: %1").arg(line);
        return false;
    }
    m_url = QUrl(match.captured(1));
    return true;
}

void ChildServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

} // namespace opsdeck::bench
