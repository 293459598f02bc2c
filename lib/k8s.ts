// The Kubernetes 1.27 L1 classes: the one copy the cdk8s-plus-27 peer ships and exports as `k8s`.
// Loaded by its path so that synthesis does not also load the rest of cdk8s-plus-27 (about a
// quarter of a plain synth's time), which the library does not use at run time.
export * from 'cdk8s-plus-27/lib/imports/k8s';
