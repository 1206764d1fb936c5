"""Media in S3-compatible object storage, through django-storages.

django-storages' S3 backend needs boto3, whose botocore cannot share an
environment with the python-dateutil 4 that pandas 3 brings, so we use its
Apache Libcloud backend: AWS S3 by region, or any S3-compatible service
(MinIO, Ceph, a cloud provider's "S3 API") by endpoint URL.
"""

from urllib.parse import urlsplit

from django.conf import settings
from libcloud.storage.providers import get_driver
from libcloud.storage.types import Provider
from storages.backends.apache_libcloud import LibCloudStorage


def libcloud_provider(*, bucket, access_key, secret_key, region, endpoint_url=None) -> dict:
    """The LIBCLOUD_PROVIDERS entry for settings (plain data, no connection)."""
    provider = {"bucket": bucket, "user": access_key, "key": secret_key}
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        provider |= {
            "type": "libcloud.storage.types.Provider.MINIO",  # generic S3 API driver
            "host": parts.hostname,
            "port": parts.port,
            "secure": parts.scheme == "https",
        }
    else:
        provider |= {"type": "libcloud.storage.types.Provider.S3", "region": region}
    return provider


class ObjectStorage(LibCloudStorage):
    """LibCloudStorage that can also reach an S3-compatible endpoint by host."""

    def __init__(self, provider_name=None, option=None):
        provider = settings.LIBCLOUD_PROVIDERS.get(provider_name or "media")
        if not provider or not provider.get("host"):
            super().__init__(provider_name, option)
            return
        self.provider = provider
        self.bucket = provider["bucket"]
        driver_class = get_driver(Provider.MINIO)
        self.driver = driver_class(
            provider["user"],
            provider["key"],
            secure=provider.get("secure", True),
            host=provider["host"],
            port=provider.get("port"),
        )
