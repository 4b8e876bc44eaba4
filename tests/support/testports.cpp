#include "testports.h"

#include <QTcpServer>

namespace opsdeck::testing {

quint16 freePortPair()
{
    for (int attempt = 0; attempt < 50; ++attempt) {
        QTcpServer first;
        if (!first.listen(QHostAddress::LocalHost, 0) || first.serverPort() == 65535)
            continue;
        QTcpServer second;
        if (second.listen(QHostAddress::LocalHost, first.serverPort() + 1))
            return first.serverPort();
    }
    return 0;
}

} // namespace opsdeck::testing
