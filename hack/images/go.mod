// Small programs the image builds need (hack/images/build.sh compiles them; standard library only).
module tourkit.local/hack/images

go 1.26
