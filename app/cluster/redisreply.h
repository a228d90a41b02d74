#pragma once

#include <QByteArray>
#include <QList>

// One Redis reply copied out of hiredis, so no hiredis pointer ever outlives its callback.
struct RedisReply
{
    enum class Type { Nil, String, Array, Integer, Status, Error };
    Type type = Type::Nil;
    QByteArray string; // String, Status and Error
    qint64 integer = 0;
    QList<RedisReply> elements;

    bool isNil() const { return type == Type::Nil; }
    bool isError() const { return type == Type::Error; }
};
