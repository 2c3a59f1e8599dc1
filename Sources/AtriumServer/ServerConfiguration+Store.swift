import AtriumStore

extension ServerConfiguration {
    /// The store these settings name, for the server and for the commands that share its data.
    public var storeOpener: StoreOpener {
        StoreOpener(url: storeURL, dataDirectory: dataDirectory, durableCommits: durableCommits, maxDatabasePages: maxDatabasePages,
                    postgresReaders: storeReaders, postgresTimeout: storeTimeout)
    }
}
