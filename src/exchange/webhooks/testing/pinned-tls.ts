/**
 * Test fixture: a self-signed certificate for the name `pinned.test` (valid for a century) and its key,
 * made for tests only, so a test can check that a pinned HTTPS delivery still presents the name (SNI)
 * and verifies the certificate against it.
 */
export const pinnedTestKey = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgInPCgWgN90Qet4W7
z/utYVCrdNMElsPF6wyhsbGuzLOhRANCAASlYlWlUrLuNwzhT1VPXlXRYosvDwtj
FQdF8w45FHu1h+G+8sTAQjGlYqjHr/PrP6ppdI+nCG62jJ8gWvHqs1Wy
-----END PRIVATE KEY-----
`;

/** The certificate of `pinned.test`, also its own CA. */
export const pinnedTestCert = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUK7//nkq4ia+CXpRXp9rGVHiDK3wwCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLcGlubmVkLnRlc3QwIBcNMjYxMTMwMTUyMDIzWhgPMjEyNjEx
MDYxNTIwMjNaMBYxFDASBgNVBAMMC3Bpbm5lZC50ZXN0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEpWJVpVKy7jcM4U9VT15V0WKLLw8LYxUHRfMOORR7tYfhvvLE
wEIxpWKox6/z6z+qaXSPpwhutoyfIFrx6rNVsqNrMGkwHQYDVR0OBBYEFJM89h1B
6jixrwcFVIm6PEE635fuMB8GA1UdIwQYMBaAFJM89h1B6jixrwcFVIm6PEE635fu
MA8GA1UdEwEB/wQFMAMBAf8wFgYDVR0RBA8wDYILcGlubmVkLnRlc3QwCgYIKoZI
zj0EAwIDSAAwRQIhAPoCSeCGAPs6p/R+FaTiVkyrxeGZN5f2dfM+R9+JmGuFAiBd
Jb4QO0jE/t9p5wO5NFHy19DsMVMbSDjmRq/+K17vMQ==
-----END CERTIFICATE-----
`;
