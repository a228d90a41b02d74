#include "apierror.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

ApiError ApiError::fromEngineError(const EngineError &error)
{
    int status = 400;
    if (error.code == u"not_found")
        status = 404;
    else if (error.code == u"invalid_transition" || error.code == u"not_finished")
        status = 409;
    return ApiError { status, error.code, error.message, error.fields };
}

QJsonObject ApiError::toJson() const
{
    QJsonObject error { { u"code"_s, code }, { u"message"_s, message } };
    if (!fields.isEmpty()) {
        QJsonArray list;
        for (const FieldError &f : fields)
            list.append(QJsonObject { { u"field"_s, f.field }, { u"message"_s, f.message } });
        error.insert(u"fields"_s, list);
    }
    return error;
}
