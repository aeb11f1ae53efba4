// The greeter's messages as Thrift IDL, for `dial codec` (same fields and
// numbers as helloworld.proto), and the service the cluster's Thrift greeter
// (demo greeter-thrift) serves, framed transport + binary protocol.
namespace js helloworld
namespace py helloworld

struct HelloRequest {
  1: string name
  // Number of replies for SayHelloStreamReply.
  2: i32 count
}

struct HelloReply {
  1: string message
  2: string instance
}

// SayHello throws it for a name that is too long (over 64 characters).
exception InvalidName {
  1: string name
  2: string reason
}

service Greeter {
  HelloReply SayHello(1: HelloRequest request) throws (1: InvalidName invalid)
  // Oneway: the greeter logs the note, and no reply comes back.
  oneway void Notify(1: string note)
  // How many notes the instance has received.
  i32 NoteCount()
}
