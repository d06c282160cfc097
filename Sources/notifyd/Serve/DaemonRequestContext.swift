import Hummingbird
import NIOCore

/// The daemon's request context: Hummingbird's basic one plus the client's address, which the
/// console's sign-in limiter counts failed attempts by.
struct DaemonRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connected client (the proxy, behind one); `nil` in router tests.
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
