package dev.runbus.service;

/** What every transport of a service is given: its configuration, its token, and its runs. */
public record ServiceContext(ServiceConfig config, ServiceToken token, RunHost host) {}
