#pragma once

// Where a UTF-8 byte stream may be cut without splitting a sequence (docs/protocol.md §11.2).

#include <QByteArrayView>

namespace opsdeck::terminal {

// The number of bytes (0–3) at the end of `bytes` that start a UTF-8 sequence which is not
// complete yet and may still be completed by the next bytes. Invalid bytes are not held back:
// they can never become valid, and the decoder turns them into U+FFFD anyway.
inline qsizetype incompleteUtf8Tail(QByteArrayView bytes)
{
    const qsizetype size = bytes.size();
    // A sequence is at most 4 bytes long, so its lead byte is among the last 3 bytes.
    for (qsizetype back = 1; back <= 3 && back <= size; ++back) {
        const auto byte = static_cast<unsigned char>(bytes[size - back]);
        if ((byte & 0xC0) == 0x80)
            continue; // a continuation byte: keep looking for the lead
        qsizetype length = 0;
        if (byte >= 0xC2 && byte <= 0xDF)
            length = 2;
        else if (byte >= 0xE0 && byte <= 0xEF)
            length = 3;
        else if (byte >= 0xF0 && byte <= 0xF4)
            length = 4;
        return length > back ? back : 0;
    }
    return 0;
}

} // namespace opsdeck::terminal
