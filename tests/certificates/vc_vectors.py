# ruff: noqa: E501  (copied verbatim: keys, hashes and canonical JSON are kept on one line)
"""Test vectors of the W3C "Data Integrity ECDSA Cryptosuites v1.0" specification, section
"Representation: ecdsa-jcs-2019 with curve P-256" — data only, copied unchanged.

Source (the specification includes these files into its examples):
https://www.w3.org/TR/vc-di-ecdsa/#representation-ecdsa-jcs-2019-with-curve-p-256
https://github.com/w3c/vc-di-ecdsa/tree/00781de52c036723bbd88d89b07818a2914a6b9e/TestVectors
(files TestVectors/p256KeyPair.json, TestVectors/unsigned.json and
TestVectors/ecdsa-jcs-2019-p256/*JCSECDSAP256.*).
"""

# TestVectors/p256KeyPair.json
P256_PUBLIC_KEY_MULTIBASE = "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
P256_SECRET_KEY_MULTIBASE = "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN"

# TestVectors/unsigned.json
UNSIGNED = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2"
    ],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": [
        "VerifiableCredential",
        "AlumniCredential"
    ],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {
        "id": "did:example:abcdefgh",
        "alumniOf": "The School of Examples"
    }
}

# ecdsa-jcs-2019-p256/proofConfigJCSECDSAP256.json ("Proof Options Document")
PROOF_OPTIONS = {
    "type": "DataIntegrityProof",
    "cryptosuite": "ecdsa-jcs-2019",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": "did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP#zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
    "proofPurpose": "assertionMethod",
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2"
    ]
}

# ecdsa-jcs-2019-p256/canonDocJCSECDSAP256.txt ("Canonical Credential without Proof")
CANONICAL_DOCUMENT = (
    '{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"credentialSubject":{"alumniOf":"The School of Examples","id":"did:example:abcdefgh"},"description":"A minimum viable example of an Alumni Credential.","id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","issuer":"https://vc.example/issuers/5678","name":"Alumni Credential","type":["VerifiableCredential","AlumniCredential"],"validFrom":"2023-01-01T00:00:00Z"}'
)
# ecdsa-jcs-2019-p256/docHashJCSECDSAP256.txt
DOCUMENT_HASH_HEX = "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19"

# ecdsa-jcs-2019-p256/proofCanonJCSECDSAP256.txt ("Canonical Proof Options Document")
CANONICAL_PROOF_CONFIG = (
    '{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"created":"2023-02-24T23:36:38Z","cryptosuite":"ecdsa-jcs-2019","proofPurpose":"assertionMethod","type":"DataIntegrityProof","verificationMethod":"did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP#zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"}'
)
# ecdsa-jcs-2019-p256/proofHashJCSECDSAP256.txt
PROOF_CONFIG_HASH_HEX = "fe5799489119c7fe3c528715e72bd39d2ec6b4ab345978df32e9a9312648ec25"

# ecdsa-jcs-2019-p256/combinedHashJCSECDSAP256.txt ("Combine hashes of Proof Options and
# Credential"): the proof configuration's hash first, then the document's
HASH_DATA_HEX = (
    "fe5799489119c7fe3c528715e72bd39d2ec6b4ab345978df32e9a9312648ec25"
    "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19"
)

# ecdsa-jcs-2019-p256/sigHexJCSECDSAP256.txt (r || s) and sigBTC58JCSECDSAP256.txt
SIGNATURE_HEX = (
    "f15c3b599eb9b3cad05df9d8e8b39a70a86375833b53743c764ac0a88c4457d6"
    "0707fd7d073e03d906130631d87803f80a9824dc9939632ba92d418181be9d16"
)
PROOF_VALUE = "z5ptCet75SaEgzG4v4zJhbJtfNi74Wv7Fq15hhKouJQQjEPQvPZKaYxcMXAMLPQS2FXrkCWokNJkFVkwxNzZfD5oT"

# ecdsa-jcs-2019-p256/signedJCSECDSAP256.json ("Signed Credential")
SIGNED = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2"
    ],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": [
        "VerifiableCredential",
        "AlumniCredential"
    ],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {
        "id": "did:example:abcdefgh",
        "alumniOf": "The School of Examples"
    },
    "proof": {
        "type": "DataIntegrityProof",
        "cryptosuite": "ecdsa-jcs-2019",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": "did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP#zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
        "proofPurpose": "assertionMethod",
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2"
        ],
        "proofValue": "z5ptCet75SaEgzG4v4zJhbJtfNi74Wv7Fq15hhKouJQQjEPQvPZKaYxcMXAMLPQS2FXrkCWokNJkFVkwxNzZfD5oT"
    }
}
