#!/usr/bin/env bash
# Certificates and keys of the local control plane (openssl), generated once into
# ${TOURKIT_CACHE}/cluster/pki and reused, plus one kubeconfig per client identity.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/config.sh"

DAYS=3650

new_ca() { # name common-name
  [[ -f $PKI_DIR/$1.crt ]] && return
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$DAYS" -subj "/CN=$2" \
    -keyout "$PKI_DIR/$1.key" -out "$PKI_DIR/$1.crt" 2>/dev/null
}

# name ca subject extended-key-usage [subjectAltName]
new_cert() {
  local name=$1 ca=$2 subject=$3 usage=$4 san=${5:-}
  [[ -f $PKI_DIR/$name.crt ]] && return
  local ext="$PKI_DIR/$name.ext"
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$usage"
    [[ -n $san ]] && echo "subjectAltName=$san"
  } >"$ext"
  openssl req -newkey rsa:2048 -nodes -sha256 -subj "$subject" \
    -keyout "$PKI_DIR/$name.key" -out "$PKI_DIR/$name.csr" 2>/dev/null
  openssl x509 -req -sha256 -days "$DAYS" -in "$PKI_DIR/$name.csr" \
    -CA "$PKI_DIR/$ca.crt" -CAkey "$PKI_DIR/$ca.key" -CAcreateserial \
    -extfile "$ext" -out "$PKI_DIR/$name.crt" 2>/dev/null
  rm -f "$PKI_DIR/$name.csr" "$ext"
}

# file user-cert [server] -> a kubeconfig that authenticates with that client certificate
new_kubeconfig() {
  local file=$1 cert=$2 server=${3:-$APISERVER_URL}
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: tourkit-local
  cluster:
    server: $server
    certificate-authority: $PKI_DIR/ca.crt
users:
- name: $cert
  user:
    client-certificate: $PKI_DIR/$cert.crt
    client-key: $PKI_DIR/$cert.key
contexts:
- name: tourkit-local
  context: { cluster: tourkit-local, user: $cert }
current-context: tourkit-local
EOF
}

mkdir -p "$PKI_DIR"
chmod 700 "$PKI_DIR"

new_ca ca tourkit-local-ca
# The aggregation layer's own CA: kube-apiserver proves to metrics-server who is asking.
new_ca front-proxy-ca tourkit-local-front-proxy-ca

# A certificate issued before the API server was reachable from the real node lacks the veth's
# address: issue it again (the API server reloads its serving certificate from the file).
if [[ -f $PKI_DIR/apiserver.crt ]] &&
  ! openssl x509 -noout -ext subjectAltName -in "$PKI_DIR/apiserver.crt" | grep -qF "IP Address:$NODE_HOST_IP"; then
  rm -f "$PKI_DIR/apiserver.crt" "$PKI_DIR/apiserver.key"
fi
first_service_ip="$(awk -F. '{ print $1 "." $2 "." $3 "." $4 + 1 }' <<<"${SERVICE_CIDR%/*}")"
new_cert apiserver ca "/CN=kube-apiserver" serverAuth \
  "IP:127.0.0.1,IP:$first_service_ip,IP:$NODE_HOST_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
new_cert front-proxy-client front-proxy-ca "/CN=front-proxy-client" clientAuth
new_cert apiserver-kubelet-client ca "/CN=kube-apiserver-kubelet-client" clientAuth
new_cert admin ca "/O=system:masters/CN=tourkit-admin" clientAuth
new_cert controller-manager ca "/CN=system:kube-controller-manager" clientAuth
new_cert scheduler ca "/CN=system:kube-scheduler" clientAuth
# kwok stands in for every kubelet, and serves their HTTPS endpoint with this certificate.
new_cert kwok ca "/O=system:masters/CN=kwok-controller" serverAuth,clientAuth "IP:127.0.0.1,DNS:localhost"
new_cert metrics-server ca "/CN=system:metrics-server" serverAuth,clientAuth \
  "IP:127.0.0.1,DNS:localhost,DNS:metrics-server.kube-system.svc"

[[ -f $PKI_DIR/sa.key ]] || {
  openssl genrsa -out "$PKI_DIR/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI_DIR/sa.key" -pubout -out "$PKI_DIR/sa.pub" 2>/dev/null
}
chmod 600 "$PKI_DIR"/*.key

new_kubeconfig "$KUBECONFIG_PATH" admin
for identity in controller-manager scheduler kwok metrics-server; do
  new_kubeconfig "$PKI_DIR/$identity.kubeconfig" "$identity"
done

# The real node's identities (hack/node/up.sh calls `pki.sh node <node-name> <node-ip>`): the
# kubelet's client certificate (the Node authorizer and NodeRestriction know it by its name), its
# serving certificate (metrics-server checks it against the CA and the node's address) and
# kube-proxy's. Their kubeconfigs reach the API server at the host's end of the veth.
if [[ ${1:-} == node ]]; then
  node_name=$2 node_ip=$3
  new_cert "kubelet-$node_name" ca "/O=system:nodes/CN=system:node:$node_name" clientAuth
  new_cert "kubelet-$node_name-serving" ca "/CN=$node_name" serverAuth "IP:$node_ip,DNS:$node_name"
  new_cert kube-proxy ca "/CN=system:kube-proxy" clientAuth
  chmod 600 "$PKI_DIR"/*.key
  new_kubeconfig "$PKI_DIR/kubelet-$node_name.kubeconfig" "kubelet-$node_name" "https://$NODE_HOST_IP:$APISERVER_PORT"
  new_kubeconfig "$PKI_DIR/kube-proxy.kubeconfig" kube-proxy "https://$NODE_HOST_IP:$APISERVER_PORT"
fi
