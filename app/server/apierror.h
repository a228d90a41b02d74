#pragma once

#include "app/core/engineerror.h"

#include <QJsonObject>
#include <QList>
#include <QString>

// An API error as a value: the HTTP status and the body's {"code", "message", "fields"?}.
// Handlers build one, HttpReply::from() writes it, and the WebSocket and Socket.IO replies
// embed toJson() as it is, so no one parses an error body back.
struct ApiError
{
    int status = 400;
    QString code;
    QString message;
    QList<FieldError> fields;

    // 404 not_found, 409 invalid_transition / not_finished, else 400.
    static ApiError fromEngineError(const EngineError &error);
    // {"code", "message", "fields"?: [{"field", "message"}]}
    QJsonObject toJson() const;
    bool operator==(const ApiError &other) const = default;
};
