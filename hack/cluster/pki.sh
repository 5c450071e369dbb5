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

# name user-cert -> a kubeconfig that authenticates with that client certificate
new_kubeconfig() {
  local file=$1 cert=$2
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: tourkit-local
  cluster:
    server: $APISERVER_URL
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

first_service_ip="$(awk -F. '{ print $1 "." $2 "." $3 "." $4 + 1 }' <<<"${SERVICE_CIDR%/*}")"
new_cert apiserver ca "/CN=kube-apiserver" serverAuth \
  "IP:127.0.0.1,IP:$first_service_ip,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
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
