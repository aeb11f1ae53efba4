// The greeter's messages as Thrift IDL, for `dial codec` (same fields and
// numbers as helloworld.proto).
namespace js helloworld

struct HelloRequest {
  1: string name
  // Number of replies for SayHelloStreamReply.
  2: i32 count
}

struct HelloReply {
  1: string message
  2: string instance
}

service Greeter {
  HelloReply SayHello(1: HelloRequest request)
}
